package wire

import "net/url"

// bidPathOf is bidder name's bid endpoint path, BidPath and the name
// escaped: a name may hold what a URL path may not ("q?r#s", "b c",
// "x/y"), and the server reads it back decoded.
func bidPathOf(name string) string { return BidPath + url.PathEscape(name) }
