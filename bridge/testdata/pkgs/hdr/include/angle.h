#ifndef ANGLE_H
#define ANGLE_H
long angle_value(const char *name);
#endif
