#ifndef HELPER_H
#define HELPER_H
struct helper { int n; };
int helper_count(struct helper *);
#endif
