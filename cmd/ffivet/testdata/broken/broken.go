// Package broken does not type-check.
package broken

func answer() int { return "forty-two" }
