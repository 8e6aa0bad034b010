package bridge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestZZLua(t *testing.T) {
	dir := t.TempDir()
	files, _ := filepath.Glob("/tmp/lua/lua-5.4.4/src/*")
	for _, f := range files {
		if strings.HasSuffix(f, "/lua.c") || strings.HasSuffix(f, "/luac.c") {
			continue
		}
		b, _ := os.ReadFile(f)
		os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "a.go"), []byte("package p\n\n// #include \"lua.h\"\nimport \"C\"\n"), 0o644)
	t0 := time.Now()
	p := Load(&Request{GoFiles: []string{filepath.Join(dir, "a.go")}})
	t.Logf("load %v", time.Since(t0))
	for _, w := range p.Warnings {
		t.Log(w)
	}
	for _, n := range []string{"l_alloc", "luaL_newstate", "lua_close", "luaL_checklstring", "lua_pushstring", "str_rep", "luaL_buffinit", "io_open", "os_getenv", "os_remove", "luaL_fileresult", "luaL_execresult", "errfile", "luaL_loadfilex", "getF", "luaL_gsub", "lua_newuserdatauv", "luaL_traceback"} {
		s := p.Summary(n)
		t.Logf("%v clob=%v", s, strings.Join(s.ErrnoClobbers, ","))
	}
}
