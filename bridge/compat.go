package bridge

import (
	"fmt"
	"maps"
	"strings"

	"modernc.org/cc/v4"
)

// completeABI returns a copy of abi that also knows the floating types
// of ISO/IEC TS 18661-3 that its target's compiler has. cc/v4's tables
// leave some of them out for some targets, and then reject every unit
// that names them: _Float16 and __bf16 are missing on linux/amd64, where
// gcc's own <immintrin.h> names them in the AVX512-FP16 intrinsics. The
// 16-bit types are two bytes aligned to two wherever a compiler has them;
// _Float32, _Float64 and _Float32x are float, double and double on every
// target Go supports.
func completeABI(abi *cc.ABI) *cc.ABI {
	if abi == nil {
		return nil
	}
	c := *abi
	c.Types = maps.Clone(abi.Types)
	half := cc.AbiType{Size: 2, Align: 2, FieldAlign: 2}
	for _, m := range []struct {
		kind cc.Kind
		t    cc.AbiType
		ok   bool
	}{
		{cc.Float16, half, true},
		{cc.BFloat16, half, true},
		{cc.ComplexFloat16, cc.AbiType{Size: 4, Align: 2, FieldAlign: 2}, true},
		{cc.Float32, abi.Types[cc.Float], hasKind(abi, cc.Float)},
		{cc.Float64, abi.Types[cc.Double], hasKind(abi, cc.Double)},
		{cc.Float32x, abi.Types[cc.Double], hasKind(abi, cc.Double)},
	} {
		if _, have := c.Types[m.kind]; !have && m.ok {
			c.Types[m.kind] = m.t
		}
	}
	return &c
}

func hasKind(abi *cc.ABI, k cc.Kind) bool {
	_, ok := abi.Types[k]
	return ok
}

// compatName is the file name of the macros compatMacros returns.
const compatName = "<ffivet-compat>"

// compatMacros returns macros that spell the _FloatN types of ISO/IEC TS
// 18661-3 as the standard type with the same layout on the target. cc/v4
// knows _Float32 alone but not _Complex _Float32, which glibc's
// <complex.h> declares functions of under _GNU_SOURCE. A type whose
// layout matches no standard type on the target is left alone, and a
// header that still fails is left out by the translator.
func compatMacros(abi *cc.ABI) string {
	if abi == nil {
		return ""
	}
	var b strings.Builder
	for _, m := range []struct {
		name     string
		kind     cc.Kind
		standard string
		as       cc.Kind
	}{
		{"_Float32", cc.Float32, "float", cc.Float},
		{"_Float64", cc.Float64, "double", cc.Double},
		{"_Float32x", cc.Float32x, "double", cc.Double},
		{"_Float64x", cc.Float64x, "long double", cc.LongDouble},
		{"_Float128", cc.Float128, "long double", cc.LongDouble},
	} {
		t, ok := abi.Types[m.kind]
		if as, ok2 := abi.Types[m.as]; ok && ok2 && t == as {
			fmt.Fprintf(&b, "#define %s %s\n", m.name, m.standard)
		}
	}
	return b.String()
}
