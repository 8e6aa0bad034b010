package bridge

import (
	"go/constant"
	"go/token"
	"testing"
)

func TestSuccessTestBranch(t *testing.T) {
	i := func(v int64) constant.Value { return constant.MakeInt64(v) }
	tests := []struct {
		s        SuccessTest
		op       token.Token
		k        constant.Value
		taken    bool
		unsigned bool
		want     Verdict
	}{
		// getline: >= 0 on success.
		{SuccessNonNeg, token.LSS, i(0), true, false, SaysFailure},
		{SuccessNonNeg, token.LSS, i(0), false, false, SaysSuccess},
		{SuccessNonNeg, token.EQL, i(-1), true, false, SaysFailure},
		{SuccessNonNeg, token.EQL, i(-1), false, false, SaysUnknown},
		{SuccessNonNeg, token.EQL, i(1), true, false, SaysSuccess},
		{SuccessNonNeg, token.EQL, i(2), true, false, SaysSuccess},
		{SuccessNonNeg, token.EQL, i(2), false, false, SaysUnknown},
		{SuccessNonNeg, token.GTR, i(1 << 21), true, false, SaysSuccess},
		{SuccessNonNeg, token.GTR, i(1 << 21), false, false, SaysUnknown},
		{SuccessNonNeg, token.LEQ, i(0), true, false, SaysUnknown},
		{SuccessNonNeg, token.GEQ, i(0), true, false, SaysSuccess},
		{SuccessNonNeg, token.LSS, i(0), true, true, SaysUnknown},
		// getaddrinfo: 0 on success.
		{SuccessZero, token.NEQ, i(0), true, false, SaysFailure},
		{SuccessZero, token.NEQ, i(0), false, false, SaysSuccess},
		{SuccessZero, token.EQL, i(3), true, false, SaysFailure},
		{SuccessZero, token.LSS, i(0), true, false, SaysFailure},
		{SuccessZero, token.LSS, i(0), false, false, SaysUnknown},
		{SuccessZero, token.NEQ, i(0), true, true, SaysFailure},
		// lseek: -1 on failure.
		{SuccessNotMinus1, token.EQL, i(-1), true, false, SaysFailure},
		{SuccessNotMinus1, token.NEQ, i(-1), true, false, SaysSuccess},
		{SuccessNotMinus1, token.LSS, i(0), true, false, SaysUnknown},
		{SuccessNotMinus1, token.GEQ, i(0), true, false, SaysSuccess},
		{SuccessNotMinus1, token.LSS, i(-1), true, false, SaysSuccess},
		// Pointers and errors against nil.
		{SuccessNonNull, token.EQL, nil, true, false, SaysFailure},
		{SuccessNonNull, token.EQL, nil, false, false, SaysSuccess},
		{SuccessNonNull, token.EQL, i(0), true, false, SaysUnknown},
		{SuccessNilError, token.NEQ, nil, true, false, SaysFailure},
		{SuccessNilError, token.NEQ, nil, false, false, SaysSuccess},
		{SuccessNonNeg, token.EQL, nil, true, false, SaysUnknown},
		// What is not understood.
		{SuccessUnknown, token.EQL, i(0), true, false, SaysUnknown},
		{SuccessNonNeg, token.ADD, i(0), true, false, SaysUnknown},
		{SuccessNonNeg, token.EQL, constant.MakeString("x"), true, false, SaysUnknown},
	}
	for _, tt := range tests {
		if got := tt.s.Branch(tt.op, tt.k, tt.taken, tt.unsigned); got != tt.want {
			t.Errorf("%s: (r %s %v) taken=%v unsigned=%v says %s, want %s", tt.s, tt.op, tt.k, tt.taken, tt.unsigned, got, tt.want)
		}
	}
}
