//go:build fftag

package clean

// Tagged is built only with the fftag build tag.
func Tagged() {}
