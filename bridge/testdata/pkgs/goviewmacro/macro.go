package goviewmacro

/*
int counter;
#define COUNTER_ALIAS counter
*/
import "C"

func use() int { return int(C.COUNTER_ALIAS) }
