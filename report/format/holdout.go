package format

// ByPersonTruthNote says, under the tables of holdout tests (run's and
// run --reps'), why a test by person's true iROAS is not the bidder's
// iROAS of the bidders' and value tables: two "true" figures for one
// bidder, unexplained, read as a contradiction. Lines within 80 columns.
const ByPersonTruthNote = "by person, true (model) is the test's own truth: the treated people's\n" +
	"conversions less those they would have made without the ads; the bidder's\n" +
	"iROAS counts caused conversions, some in place of a later organic one"
