package model

import "sync"

// onceSet is a concurrency-safe set that tells the first adder.
type onceSet struct {
	mu sync.Mutex
	m  map[string]bool
}

func newOnceSet() *onceSet { return &onceSet{m: map[string]bool{}} }

func (s *onceSet) add(k string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m[k] {
		return false
	}
	s.m[k] = true
	return true
}
