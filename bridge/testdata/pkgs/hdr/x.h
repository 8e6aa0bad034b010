#ifndef X_H
#define X_H
int x_value(void);
#define X_LIMIT 42
#endif
