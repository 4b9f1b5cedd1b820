package report

import (
	"encoding/json"
	"math"
	"testing"
)

// TestTreeKeepsOrder: a tree writes its keys in the order read, fields
// set or inserted where asked, null and true/false read as numbers
// (NaN, 1, 0), names flat as the metric catalogue's.
func TestTreeKeepsOrder(t *testing.T) {
	tree, err := ParseTree([]byte(`{"z": 1, "a": {"ok": true, "none": null}, "list": [{"name": "b1", "x": 2.5}, {"x": 3}], "s": "text"}`))
	if err != nil {
		t.Fatal(err)
	}
	leaves := map[string]float64{}
	tree.Leaves("", func(name string, leaf *Tree) { leaves[name] = leaf.Number() })
	if len(leaves) != 4 || leaves["z"] != 1 || leaves["a.ok"] != 1 || !math.IsNaN(leaves["a.none"]) || leaves["list.b1.x"] != 2.5 {
		t.Errorf("leaves %v", leaves)
	}
	tree.Get("a").Get("ok").Replace(map[string]int{"n": 2})
	tree.Set("s", Value("other"))
	tree.InsertAfter("z", "y", Value(7))
	out, err := json.Marshal(tree)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"z":1,"y":7,"a":{"ok":{"n":2},"none":null},"list":[{"name":"b1","x":2.5},{"x":3}],"s":"other"}`
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
	if _, err := ParseTree([]byte(`{"a": `)); err == nil {
		t.Error("a truncated document parsed")
	}
}
