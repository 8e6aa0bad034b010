package goviewvector

/*
typedef int v4si __attribute__((vector_size(16)));
v4si lanes;
*/
import "C"

func use() { _ = C.lanes }
