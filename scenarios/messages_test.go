package scenarios

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestEngineErrorsPlaced checks how sim's field errors are placed: at the
// field they name, else at its closest enclosing field in the file (under
// that field's path), and left out when the file already has an error at
// or around that field.
func TestEngineErrorsPlaced(t *testing.T) {
	d := newDecoder("f.yaml")
	d.where = map[string]position{
		"":                          {1, 1},
		"bidders":                   {5, 1},
		"bidders[0]":                {6, 5},
		"bidders[0].value":          {7, 12},
		"bidders[0].latency":        {8, 5},
		"bidders[0].latency.p99":    {8, 40},
		"bidders[1].capacity":       {12, 5},
		"bidders[1].capacity.queue": {12, 30},
	}
	d.errorf(position{12, 30}, "bidders[1].capacity.queue", "want a whole number, got x")
	err := errors.Join(
		&sim.FieldError{Field: "bidders[0].latency.p99", Err: errors.New("p99 problem")},
		&sim.FieldError{Field: "bidders[0].value.value", Err: errors.New("constant problem")},
		&sim.FieldError{Field: "horizon", Err: errors.New("no such field in the file")},
		&sim.FieldError{Field: "bidders[1].capacity.queue", Err: errors.New("same field: left out")},
		&sim.FieldError{Field: "bidders[1].capacity", Err: errors.New("around it: left out")},
		&sim.FieldError{Field: "bidders[1].capacity.queue.x", Err: errors.New("under it: left out")},
		&sim.FieldError{Field: "bidders[10].name", Err: errors.New("bidders[1] is not its parent")},
		errors.New("no field at all"),
	)
	d.engineErrors(err)
	got := d.errs[1:].Error()
	want := strings.Join([]string{
		"f.yaml:8:40: bidders[0].latency.p99: p99 problem",
		"f.yaml:7:12: bidders[0].value: constant problem",
		"f.yaml:1:1: horizon: no such field in the file",
		"f.yaml:5:1: bidders: bidders[1] is not its parent",
		"f.yaml:1:1: no field at all",
	}, "\n")
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestNoMessageTwice checks that each rule's message is written once:
// no error format string stands twice in sim and scenarios together.
func TestNoMessageTwice(t *testing.T) {
	seen := map[string]string{}
	fset := token.NewFileSet()
	for _, dir := range []string{"../sim", "."} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				arg := -1
				switch sel.Sel.Name {
				case "Errorf", "New":
					arg = 0
				case "errorf":
					arg = 2
				}
				if arg < 0 || len(call.Args) <= arg {
					return true
				}
				lit, ok := call.Args[arg].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				msg, _ := strconv.Unquote(lit.Value)
				if len(msg) < 8 { // "%v" and the like pass others' messages on
					return true
				}
				at := fset.Position(lit.Pos()).String()
				if prev, dup := seen[msg]; dup {
					t.Errorf("%q stands twice: %s and %s", msg, prev, at)
				}
				seen[msg] = at
				return true
			})
		}
	}
	if len(seen) < 40 {
		t.Errorf("found only %d messages: is the search still finding them?", len(seen))
	}
}

// TestDeliveryNeedsRefusedDaily checks that a delivery plan whose daily
// budget is refused as read (below 0, a word, past the largest amount) is
// refused once, for the daily budget, not also for "needs budget.daily";
// and that a delivery plan with no daily budget at all still is.
func TestDeliveryNeedsRefusedDaily(t *testing.T) {
	for _, daily := range []string{"-5", "abc", "1e300"} {
		src := minimal + "  - {name: b, value: 1, budget: {daily: " + daily + ", pacing: multiplier, delivery: even}}\n"
		_, err := Parse("x.yaml", []byte(src))
		if err == nil {
			t.Errorf("daily %s: accepted", daily)
			continue
		}
		if lines := strings.Split(err.Error(), "\n"); len(lines) != 1 || !strings.Contains(lines[0], "budget.daily") {
			t.Errorf("daily %s: want one refusal, of budget.daily; got\n%v", daily, err)
		}
	}
	_, err := Parse("x.yaml", []byte(minimal+"  - {name: b, value: 1, budget: {total: 5, pacing: multiplier, delivery: even}}\n"))
	if err == nil || !strings.Contains(err.Error(), "needs budget.daily") {
		t.Errorf("delivery without a daily budget: %v", err)
	}
	_, _, err = ResolveWith("flight-week", []Set{{Flag: "--set", Path: "bidders.acme-even.budget", Value: "{daily: -5, pacing: multiplier, delivery: even}"}})
	if err == nil || strings.Contains(err.Error(), "needs budget.daily") || !strings.Contains(err.Error(), "a daily budget must be > 0") {
		t.Errorf("--set: %v", err)
	}
}

// TestBadRateBlamesOnlyTheRate checks that a file whose stop or traffic
// is wrong (a qps out of range, a shape of zeros, an empty stop) is
// refused there alone: throttle pacing, which needs the horizon those
// give, was also refused ("throttle pacing needs a horizon"), an error
// that goes away with the real one.
func TestBadRateBlamesOnlyTheRate(t *testing.T) {
	const file = `stop: {auctions: 1000}
traffic: {qps: 100}
exchange: {tmax: 100ms}
bidders:
  - {name: a, value: 1, budget: {total: 5, pacing: throttle}}
`
	for _, c := range []struct{ from, to, field string }{
		{"qps: 100", "qps: -5", "traffic.qps"},
		{"qps: 100", "qps: 0", "traffic.qps"},
		{"qps: 100", "qps: 100, shape: [0, 0]", "traffic.shape"},
		{"{auctions: 1000}", "{}", "stop"},
	} {
		src := strings.Replace(file, c.from, c.to, 1)
		_, err := Parse("f.yaml", []byte(src))
		var list Errors
		if !errors.As(err, &list) || len(list) != 1 || list[0].Field != c.field {
			t.Errorf("%s: %v; want one error, at %s", c.to, err, c.field)
		}
	}
}

// TestLongValueClipped checks that a message quotes a long value's start
// and its length, not the whole: a file of one 64 KiB line (an SVG given
// for a scenario) was echoed whole into the terminal.
func TestLongValueClipped(t *testing.T) {
	long := strings.Repeat("x", 10000)
	for _, src := range []string{
		long,
		"stop: {auctions: 10}\ntraffic: {qps: \"" + long + "\"}\nexchange: {tmax: 1s}\nbidders: [{name: a, value: 1}]\n",
		"stop: {auctions: 1" + strings.Repeat("0", 9999) + "}\ntraffic: {qps: 1}\nexchange: {tmax: 1s}\nbidders: [{name: a, value: 1}]\n",
	} {
		_, err := Parse("f.yaml", []byte(src))
		if err == nil {
			t.Fatalf("%.40s…: no error", src)
		}
		if msg := err.Error(); len(msg) > 400 || !strings.Contains(msg, "(10000 characters)") {
			t.Errorf("%d bytes: %.500s", len(msg), msg)
		}
	}
}
