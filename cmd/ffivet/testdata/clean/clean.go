// Package clean has nothing to report.
package clean

func add(a, b int) int { return a + b }
