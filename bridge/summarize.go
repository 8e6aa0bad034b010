package bridge

// summarize computes summaries for the functions with bodies in p.
func summarize(p *Package) map[string]*Summary {
	return map[string]*Summary{}
}
