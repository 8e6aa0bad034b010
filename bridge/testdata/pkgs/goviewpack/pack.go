package goviewpack

/*
#pragma pack(1)
struct wire { char tag; int len; };
#pragma pack()
*/
import "C"

func use() { var w C.struct_wire; _ = w }
