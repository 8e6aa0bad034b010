package bridge

import "fmt"

// A member declaration such as `struct s;` inside a struct body declares
// nothing in standard C (gcc warns and goes on), but the C front end
// takes it for an anonymous member of type struct s. When that makes a
// struct contain itself, directly or through other such members, the
// front end recurses without end looking up any of its fields, and the
// process dies of a stack overflow that no recover can catch. The unit
// is refused before translation instead.

// selfContaining returns a description of the first struct or union
// in the preprocessed text src that contains itself through members
// that declare nothing, or "".
func selfContaining(src string) string {
	type edge struct{ to, member string }
	members := map[string][]edge{} // tag -> the tagged members declaring nothing in its body
	var order []string
	// bodies holds, for each open brace, the tag of the struct or union
	// whose body it opens, or "" for any other brace.
	var bodies []string
	// prev are the last three significant tokens.
	var prev [3]string
	push := func(tok string) { prev[0], prev[1], prev[2] = prev[1], prev[2], tok }
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '"' || c == '\'':
			// A literal: skip it, escapes included.
			j := i + 1
			for j < len(src) && src[j] != c && src[j] != '\n' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			i = j + 1
			push("lit")
			continue
		case isIdentStart(c):
			j := i + 1
			for j < len(src) && (isIdentStart(src[j]) || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			push(src[i:j])
			i = j
			continue
		case c == '{':
			tag := ""
			if (prev[1] == "struct" || prev[1] == "union") && isTag(prev[2]) {
				tag = prev[2]
			}
			bodies = append(bodies, tag)
		case c == '}':
			if len(bodies) > 0 {
				bodies = bodies[:len(bodies)-1]
			}
		case c == ';':
			// `struct t;` as a whole member declaration, in a body.
			if n := len(bodies); n > 0 && bodies[n-1] != "" && (prev[1] == "struct" || prev[1] == "union") && isTag(prev[2]) &&
				(prev[0] == ";" || prev[0] == "{") {
				outer := bodies[n-1]
				if _, ok := members[outer]; !ok {
					order = append(order, outer)
				}
				members[outer] = append(members[outer], edge{prev[2], prev[1] + " " + prev[2]})
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		}
		push(string(c))
		i++
	}

	// A cycle through the members found.
	const (
		unvisited = iota
		open
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(tag string) string
	visit = func(tag string) string {
		switch state[tag] {
		case open:
			return fmt.Sprintf("struct or union %s contains itself through a member that declares nothing (%s;)", tag, path[len(path)-1])
		case done:
			return ""
		}
		state[tag] = open
		for _, e := range members[tag] {
			path = append(path, e.member)
			if found := visit(e.to); found != "" {
				return found
			}
			path = path[:len(path)-1]
		}
		state[tag] = done
		return ""
	}
	for _, tag := range order {
		if found := visit(tag); found != "" {
			return found
		}
	}
	return ""
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// isTag reports whether the token s can be a struct or union tag.
func isTag(s string) bool {
	return isIdent(s) && s != "struct" && s != "union" && s != "lit"
}
