package sim_test

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The money guard: sim.Money counts nano-units and sim.Price micro-CPM, so
// an untyped constant that Go converts to them silently is almost always
// a mistake of units (Budget{Total: 40} is 40 nano-units, not 40 units
// of currency). TestNoUntypedMoneyLiterals type-checks every package of
// the module, tests included, and refuses every non-zero untyped constant
// converted implicitly to Money or Price: in composite literals,
// assignments, comparisons, arguments and returns. Explicit forms pass:
// sim.MoneyOf(40), sim.PriceOf(1.5), 40*sim.MoneyUnit, sim.Money(40), any
// constant expression with a typed Money or Price constant in it, a
// scalar factor (spend * 2, price / 3), and zero. A deliberate raw amount
// carries a comment with "raw:" on its line or the line above
// (`// raw: nano-units`).

const simPath = "github.com/auctionsim/auctionsim/sim"

// isUnit reports whether t is sim.Money or sim.Price.
func isUnit(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != simPath {
		return false
	}
	return n.Obj().Name() == "Money" || n.Obj().Name() == "Price"
}

// explicit reports whether the constant expression e says its unit: it
// holds a typed Money or Price constant (MoneyUnit, MaxPrice …) or a
// conversion to one.
func explicit(info *types.Info, e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			if c, ok := info.Uses[n].(*types.Const); ok && isUnit(c.Type()) {
				found = true
			}
		case *ast.CallExpr:
			if tv, ok := info.Types[n.Fun]; ok && tv.IsType() && isUnit(tv.Type) {
				found = true
			}
		}
		return !found
	})
	return found
}

// rawLines are the lines of f with a "raw:" comment, and the line after
// each.
func rawLines(fset *token.FileSet, f *ast.File) map[int]bool {
	lines := map[int]bool{}
	for _, g := range f.Comments {
		for _, c := range g.List {
			if strings.Contains(c.Text, "raw:") {
				l := fset.Position(c.Slash).Line
				lines[l], lines[l+1] = true, true
			}
		}
	}
	return lines
}

// scalarOps are the operators whose constant operand is a count, not an
// amount: spend * 2, price / 3, price % 10, x << 1.
var scalarOps = map[token.Token]bool{token.MUL: true, token.QUO: true, token.REM: true, token.SHL: true, token.SHR: true}

// scalarAssign are the assignments of the same kind: total /= 2.
var scalarAssign = map[token.Token]bool{token.MUL_ASSIGN: true, token.QUO_ASSIGN: true, token.REM_ASSIGN: true, token.SHL_ASSIGN: true, token.SHR_ASSIGN: true}

// untypedUnitLiterals lists, as "file:line:col: text", every implicit
// conversion of a non-zero untyped constant to Money or Price in files.
func untypedUnitLiterals(fset *token.FileSet, info *types.Info, files []*ast.File) []string {
	var out []string
	for _, f := range files {
		raw := rawLines(fset, f)
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			var parent ast.Node
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			stack = append(stack, n)
			e, ok := n.(ast.Expr)
			if !ok {
				return true
			}
			tv, ok := info.Types[e]
			if !ok || tv.Value == nil || !isUnit(tv.Type) {
				return true
			}
			// The outermost constant expression decides: skip its parts.
			if pe, ok := parent.(ast.Expr); ok {
				if ptv, ok := info.Types[pe]; ok && ptv.Value != nil && isUnit(ptv.Type) {
					return true
				}
			}
			switch p := parent.(type) {
			case *ast.BinaryExpr:
				if scalarOps[p.Op] {
					return false
				}
			case *ast.AssignStmt:
				if scalarAssign[p.Tok] {
					return false // total /= 2
				}
			case *ast.CallExpr:
				if ftv, ok := info.Types[p.Fun]; ok && ftv.IsType() {
					return false // sim.Money(40): a conversion says its unit
				}
			case *ast.ValueSpec:
				// const MoneyUnit Money = 1e9: the units' own definitions
				// in package sim; anywhere else, a typed constant of
				// raw units is the mistake this guard is for.
				if p.Type != nil && len(p.Names) > 0 && !strings.HasSuffix(fset.Position(p.Pos()).Filename, "_test.go") {
					if c, ok := info.Defs[p.Names[0]].(*types.Const); ok && c.Pkg().Path() == simPath {
						return false
					}
				}
			}
			if explicit(info, e) || tv.Value.String() == "0" {
				return false
			}
			pos := fset.Position(e.Pos())
			for _, a := range stack[1:] { // not the file
				// A "raw:" comment covers the statement or literal that
				// starts on its line or the next, whole.
				if raw[fset.Position(a.Pos()).Line] {
					return false
				}
			}
			out = append(out, pos.String()+": "+types.ExprString(e)+" as "+types.TypeString(tv.Type, nil))
			return false
		})
	}
	return out
}

// guard type-checks the module's packages against the compiler's export
// data of their imports.
type guard struct {
	root, modPath string
	exports       map[string]string // import path (or "path [variant.test]") → export data file
	fset          *token.FileSet
}

// newGuard finds the module's root and every package's export data. The
// imports come from the compiler's export data, as go vet reads them: go
// list builds (or finds in the build cache) every package's, test
// variants included, far faster than type-checking the standard library
// and every dependency from source.
func newGuard(t *testing.T) *guard {
	t.Helper()
	if testing.Short() {
		// Warm, it takes a few seconds; with a cold build cache, go list
		// compiles every package and test variant first (up to a minute
		// on a busy machine).
		t.Skip("type-checks the whole module; runs without -short")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	g := &guard{root: root, modPath: strings.Fields(strings.SplitN(string(mod), "\n", 2)[0])[1], exports: map[string]string{}, fset: token.NewFileSet()}
	list := exec.Command("go", "list", "-export", "-deps", "-test", "-f", "{{.ImportPath}}\t{{.Export}}", "./...")
	list.Dir = root
	list.Stderr = os.Stderr
	out, err := list.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if path, file, ok := strings.Cut(line, "\t"); ok && file != "" {
			g.exports[path] = file
		}
	}
	return g
}

// check type-checks files as package path and returns its untyped money
// literals; variant, when not empty, is the package whose test variants
// of the imports an external test package sees ("path [variant.test]").
func (g *guard) check(t *testing.T, path, variant string, files []*ast.File) []string {
	t.Helper()
	if len(files) == 0 {
		return nil
	}
	imp := importer.ForCompiler(g.fset, "gc", func(path string) (io.ReadCloser, error) {
		if file, ok := g.exports[path+" ["+variant+".test]"]; ok && variant != "" {
			return os.Open(file)
		}
		if file, ok := g.exports[path]; ok {
			return os.Open(file)
		}
		return nil, fs.ErrNotExist
	})
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: imp}
	if _, err := conf.Check(path, g.fset, files, info); err != nil {
		t.Fatalf("type-check %s: %v", path, err)
	}
	return untypedUnitLiterals(g.fset, info, files)
}

func TestNoUntypedMoneyLiterals(t *testing.T) {
	g := newGuard(t)
	var dirs []string
	err := filepath.WalkDir(g.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != g.root && (strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() {
			dirs = append(dirs, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, dir := range dirs {
		bp, err := build.ImportDir(dir, 0)
		if err != nil {
			continue // no Go files
		}
		rel, _ := filepath.Rel(g.root, dir)
		path := g.modPath
		if rel != "." {
			path += "/" + filepath.ToSlash(rel)
		}
		parse := func(names []string) []*ast.File {
			var files []*ast.File
			for _, n := range names {
				f, err := parser.ParseFile(g.fset, filepath.Join(dir, n), nil, parser.ParseComments|parser.SkipObjectResolution)
				if err != nil {
					t.Fatal(err)
				}
				files = append(files, f)
			}
			return files
		}
		found = append(found, g.check(t, path, "", parse(append(append([]string(nil), bp.GoFiles...), bp.TestGoFiles...)))...)
		found = append(found, g.check(t, path+"_test", path, parse(bp.XTestGoFiles))...)
	}
	sort.Strings(found)
	for _, f := range found {
		rel, err := filepath.Rel(g.root, f)
		if err != nil {
			rel = f
		}
		t.Errorf("%s: an untyped constant in money or CPM: write sim.MoneyOf(x), sim.PriceOf(x) or a multiple of sim.MoneyUnit/PriceUnit, or say why it is raw (// raw: …)", rel)
	}
}

// The guard finds what it is for and passes the explicit forms: each
// line of the source below that ends in "// bad" must be reported, and
// no other.
func TestUntypedMoneyGuardItself(t *testing.T) {
	g := newGuard(t)
	src := `package x

import "github.com/auctionsim/auctionsim/sim"

const n = 40

const c sim.Money = 40 // bad

func f(m sim.Money) sim.Price { return 3 } // bad

func g(b sim.BidderStats, p sim.Price) {
	_ = sim.Budget{Total: 40} // bad
	_ = sim.Budget{Total: n}  // bad
	_ = sim.Budget{Total: -2} // bad
	_ = b.Spend > 100         // bad
	f(7)                      // bad
	b.Spend = 1 + 2           // bad
	p += 5                    // bad
	_ = sim.SetFloor{Floor: sim.PriceUnit + 1} // explicit: typed constant within
	_ = sim.Budget{Total: 40 * sim.MoneyUnit}
	_ = sim.Budget{Total: sim.MoneyOf(40)}
	_ = sim.SetFloor{Floor: sim.PriceOf(1.5)}
	_ = sim.Budget{Total: sim.Money(40)}
	_ = sim.Budget{Total: 0}
	_ = b.Spend * 2
	b.Spend /= 2
	p = p >> 1
	_ = sim.Budget{Total: 40} // raw: nano-units on purpose
	// raw: micro-CPM, only the order matters
	_ = []sim.Price{
		3,
		1,
	}
	var k = 40
	_ = k
}
`
	f, err := parser.ParseFile(g.fset, "guard_self.go", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]bool{}
	for _, r := range g.check(t, "example.com/x", "", []*ast.File{f}) {
		pos := strings.SplitN(r, ":", 3)
		var line int
		if _, err := fmt.Sscan(pos[1], &line); err != nil {
			t.Fatal(r)
		}
		got[line] = true
	}
	for i, l := range strings.Split(src, "\n") {
		if bad := strings.HasSuffix(strings.TrimSpace(l), "// bad"); bad != got[i+1] {
			t.Errorf("line %d %q: reported %v, want %v", i+1, strings.TrimSpace(l), got[i+1], bad)
		}
	}
}
