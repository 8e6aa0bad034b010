#ifndef INC_H
#define INC_H
struct inc_point { int x, y; };
int inc_value(void);
#endif
