package sim

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestKindsListsEveryChange reads the package's source for every type
// with an apply method (every Change) and checks that Kinds lists its kind,
// so that a new kind of change cannot miss the checks that iterate Kinds
// (every kind is logged and replayed).
func TestKindsListsEveryChange(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Name.Name != "apply" || fn.Recv == nil || len(fn.Recv.List) != 1 {
				continue
			}
			if id, ok := fn.Recv.List[0].Type.(*ast.Ident); ok {
				types = append(types, id.Name)
			}
		}
	}
	changes := map[string]Change{
		"SetTmax": SetTmax{}, "SetFloor": SetFloor{}, "SetAuction": SetAuction{}, "SetIncrement": SetIncrement{},
		"SetQPS": SetQPS{}, "ScaleLatency": ScaleLatency{}, "SetLatency": SetLatency{}, "SetBudget": SetBudget{},
		"SetStrategy": SetStrategy{}, "SetPacing": SetPacing{}, "SetEnabled": SetEnabled{}, "MoveBudget": MoveBudget{},
		"SetAbandonment": SetAbandonment{}, "SetFrequencyCap": SetFrequencyCap{}, "SetDaily": SetDaily{},
	}
	if len(types) < len(changes) {
		t.Fatalf("found only %v", types)
	}
	for _, name := range types {
		c, ok := changes[name]
		if !ok {
			t.Errorf("%s is a change: add it here and its kind to Kinds", name)
			continue
		}
		if !slices.Contains(Kinds(), c.Kind()) {
			t.Errorf("Kinds lacks %s's kind %q", name, c.Kind())
		}
	}
	if len(Kinds()) != len(changes) {
		t.Errorf("Kinds has %d kinds, the source %d changes", len(Kinds()), len(changes))
	}
}
