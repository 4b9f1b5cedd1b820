package plot

import (
	"strings"
)

// Label is an axis label for a scenario path or a metric name, with its
// unit as the JSON contract states it (report's package doc):
// "exchange.tmax" is "tmax (ms)" (a sweep's durations are drawn in
// milliseconds), "exchange.revenue_per_auction" "revenue per auction
// (CPM)", "bidders.metro.spend" "metro: spend (currency)".
func Label(name string) string {
	parts := strings.Split(name, ".")
	last := parts[len(parts)-1]
	owner := ""
	if len(parts) >= 3 && parts[0] == "bidders" {
		owner = parts[1] + ": "
	}
	if len(parts) >= 2 && parts[len(parts)-2] == "latency_ms" {
		// bidders.NAME.latency_ms.p95: the figure's name is its parent's.
		return owner + "latency " + last + " (ms)"
	}
	text := strings.ReplaceAll(strings.TrimSuffix(last, "_ms"), "_", " ")
	if u := unitOf(last); u != "" {
		return owner + text + " (" + u + ")"
	}
	return owner + text
}

// Unit is the unit Label gives name ("ms", "CPM", "currency", "share",
// "requests/s"), "" when it has none: a terminal chart's axis says it as
// the drawn plot's does.
func Unit(name string) string {
	parts := strings.Split(name, ".")
	if len(parts) >= 2 && parts[len(parts)-2] == "latency_ms" {
		return "ms"
	}
	return unitOf(parts[len(parts)-1])
}

// unitOf is the unit of a field by its name, as the JSON contract writes
// it: durations in milliseconds (tmax, latency, *_ms), prices in CPM,
// money in currency units, shares of 1.
func unitOf(field string) string {
	switch field {
	case "tmax", "median", "p50", "p95", "p99", "request_processing", "network_buffer", "response_preparation", "bidder_response_min":
		return "ms"
	case "floor", "increment", "revenue_per_auction", "mean_clearing_price", "net_revenue_per_auction", "mean_price", "max_price", "price", "bid", "value_cpm":
		return "CPM"
	case "revenue", "spend", "value", "surplus", "budget", "total", "daily", "net_revenue", "revenue_lost_to_timeouts", "attributed_value", "incremental_value":
		return "currency"
	case "fill_rate", "timeout_rate", "win_rate", "lost_share", "late_share", "no_bid", "factor":
		return "share"
	case "qps", "rate":
		return "requests/s"
	}
	if strings.HasSuffix(field, "_ms") {
		return "ms"
	}
	return ""
}
