package scenarios

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
)

// maxUnaliased bounds the text that unalias may write out for a file's
// aliases: a file is at most 64 KiB, and an alias bomb (each anchor
// aliasing the one before many times) would grow past any memory.
const maxUnaliased = 1 << 20

// unalias writes out every alias under n as a copy of its anchor's value
// (flow style, without comments or anchors of its own), so that an edit
// of an anchored value changes that path alone: a path assignment sets
// one field, as a script's step and the dashboard's keys do, the same in
// --set, the command line and a replay of the change log. The anchors
// stay, for the people who read the effective text.
func unalias(n ast.Node) (ast.Node, error) {
	u := unaliaser{anchors: map[string]ast.Node{}}
	return u.node(n, 0)
}

type unaliaser struct {
	anchors map[string]ast.Node // by name, each value unaliased already
	written int                 // the text written out so far
}

func (u *unaliaser) node(n ast.Node, depth int) (ast.Node, error) {
	if depth > maxNesting+maxResolve {
		return nil, fmt.Errorf("the YAML nests more than %d deep", maxNesting)
	}
	if t, ok := n.(*ast.AliasNode); ok {
		name := t.Value.GetToken().Value
		v, ok := u.anchors[name]
		if !ok {
			return nil, fmt.Errorf("alias *%s comes before its anchor &%s", name, name)
		}
		return u.copyOf(v)
	}
	for _, c := range children(n) {
		var err error
		if *c, err = u.node(*c, depth+1); err != nil {
			return nil, err
		}
	}
	if t, ok := n.(*ast.AnchorNode); ok { // its value unaliased, for the aliases after it
		u.anchors[t.Name.GetToken().Value] = t.Value
	}
	return n, nil
}

// children are the places under n that hold its nodes, for the walks
// here, which may replace them.
func children(n ast.Node) []*ast.Node {
	switch t := n.(type) {
	case *ast.AnchorNode:
		return []*ast.Node{&t.Value}
	case *ast.TagNode:
		return []*ast.Node{&t.Value}
	case *ast.MappingValueNode:
		return []*ast.Node{&t.Value}
	case *ast.MappingNode:
		out := make([]*ast.Node, len(t.Values))
		for i, mv := range t.Values {
			out[i] = &mv.Value
		}
		return out
	case *ast.SequenceNode:
		out := make([]*ast.Node, len(t.Values))
		for i := range t.Values {
			out[i] = &t.Values[i]
		}
		return out
	}
	return nil
}

// copyOf is a copy of the anchored value v: parsed again from its text,
// in flow style so that it reads the same wherever it is put, and
// without the anchors it holds (their names are the originals').
func (u *unaliaser) copyOf(v ast.Node) (ast.Node, error) {
	text := flowText(v)
	if u.written += len(text); u.written > maxUnaliased {
		return nil, fmt.Errorf("the file's aliases write out more than %d bytes", maxUnaliased)
	}
	f, err := parseYAML([]byte(text), 0)
	if err != nil || len(f.Docs) != 1 || f.Docs[0].Body == nil {
		return nil, fmt.Errorf("an alias's value does not parse again: %v", err)
	}
	c := dropAnchors(f.Docs[0].Body, 0)
	if m, ok := c.(*ast.MappingNode); ok {
		m.SetIsFlowStyle(true)
	}
	if s, ok := c.(*ast.SequenceNode); ok {
		s.SetIsFlowStyle(true)
	}
	return c, nil
}

// dropAnchors is n without the anchors it holds: each stands for its
// value.
func dropAnchors(n ast.Node, depth int) ast.Node {
	if depth > maxNesting+maxResolve {
		return n
	}
	if t, ok := n.(*ast.AnchorNode); ok {
		return dropAnchors(t.Value, depth+1)
	}
	for _, c := range children(n) {
		*c = dropAnchors(*c, depth+1)
	}
	return n
}

// flowText is n's text in flow style, n left as it was.
func flowText(n ast.Node) string {
	var restore []func()
	flow := func(style *bool) {
		was := *style
		*style = true
		restore = append(restore, func() { *style = was })
	}
	var walk func(n ast.Node, depth int)
	walk = func(n ast.Node, depth int) {
		if depth > maxNesting+maxResolve {
			return
		}
		switch t := n.(type) {
		case *ast.MappingNode:
			flow(&t.IsFlowStyle)
		case *ast.SequenceNode:
			flow(&t.IsFlowStyle)
		}
		for _, c := range children(n) {
			walk(*c, depth+1)
		}
	}
	walk(n, 0)
	text := n.String()
	for _, r := range restore {
		r()
	}
	return text
}
