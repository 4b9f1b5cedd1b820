package play

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
)

// Styles are the few styles of a student's screen.
type Styles struct {
	Title, Value, Good, Bad, Faint, Error, Heading lipgloss.Style
}

// NewStyles builds the styles for r from the project's theme; nil is the
// default renderer. Over SSH each session passes its own renderer, so
// that colour follows the student's terminal.
func NewStyles(r *lipgloss.Renderer) Styles {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	t := theme.New(r)
	return Styles{
		Title:   t.Title,
		Value:   t.Value.Foreground(theme.Warn),
		Good:    t.Good,
		Bad:     t.Bad,
		Faint:   t.Dim,
		Error:   t.Bad,
		Heading: t.Value,
	}
}

// maxBid is the largest bid a student may type, in CPM: far above any
// scenario's values, small enough that sums never come near overflow.
const maxBid = 1e6

// ParseBid reads a bid in CPM as a student types it ("0.42", "0,42",
// ".5", "+1"), or says clearly what is wrong with it. Only plain decimals
// read as bids: strconv.ParseFloat alone took "0x1p-2", "1e3", "Inf".
func ParseBid(s string) (sim.Price, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, fmt.Errorf("type a bid in CPM, like 0.42, then enter")
	}
	d := strings.Replace(t, ",", ".", 1)
	x, err := strconv.ParseFloat(d, 64)
	switch {
	case err != nil || !plainDecimal(d) || math.IsNaN(x) || math.IsInf(x, 0):
		return 0, fmt.Errorf("%q is not a bid: type a price in CPM, like 0.42", t)
	case x < 0:
		return 0, fmt.Errorf("a bid cannot be negative (%s)", t)
	case x > maxBid:
		return 0, fmt.Errorf("%s CPM is more than any bid can be (at most %s)", t, format.Count(maxBid))
	}
	return sim.PriceOf(x), nil
}

// plainDecimal reports whether s is a decimal amount as people write
// one: an optional sign, ASCII digits with at most one point, at least
// one digit ("0.42", ".5", "3.", "-1"). The sign is kept so that "-1"
// is refused as negative, not as unreadable; '+' is harmless.
func plainDecimal(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	digits, points := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			points++
		default:
			return false
		}
	}
	return digits > 0 && points <= 1
}

// cpm formats a price for a student: three decimals, enough for every
// bundled scenario's increments.
func cpm(p sim.Price) string { return fmt.Sprintf("%.3f", p.CPM()) }

// Signed formats a surplus as the game and the classroom show every one:
// to three decimals with its sign, "+0.120" or "-0.050", and "0.000"
// with none where it reads 0 (a surplus under half a thousandth is no gain
// or loss to show).
func Signed(p sim.Price) string {
	s := fmt.Sprintf("%+.3f", p.CPM())
	if strings.Trim(s, "+-0.") == "" {
		return "0.000"
	}
	return s
}

// Rules is one line on the auction's rules.
func Rules(t *seat.Table) string {
	return RulesLine(t.Auction(), t.Floor(), t.Increment()) + SlotsNote(t.Slots())
}

// SlotsNote is what the rules line adds for several slots: their weights
// and that amounts are per click; "" for a single item. The classroom
// shows the same note.
func SlotsNote(sl []float64) string {
	if len(sl) <= 1 {
		return ""
	}
	ws := make([]string, len(sl))
	for i, w := range sl {
		ws[i] = fmt.Sprintf("%g", w)
	}
	return fmt.Sprintf(", %d slots with click weights %s (values, bids and prices per click)", len(sl), strings.Join(ws, "/"))
}

// ValueLabel introduces a seat's private value: per click with several
// slots (a slot's impression is worth its weight × that), else for the
// impression.
func ValueLabel(slotted bool) string {
	if slotted {
		return "  Your value per click: "
	}
	return "  Your value for this impression: "
}

// RulesLine is one line on an auction's rules: its type, floor and, in
// second price, the increment. The classroom shows the same line.
func RulesLine(a sim.AuctionType, floor, increment sim.Price) string {
	s := a.String() + ", floor " + cpm(floor)
	if a == sim.SecondPrice || a.Slotted() {
		s += ", increment " + cpm(increment)
	}
	return s
}

// Lesson is the one sentence the numbers are there to show.
func Lesson(t *seat.Table) string {
	switch {
	case t.Slots() != nil && t.Auction() == sim.GSP:
		return "GSP: " + sim.GSP.SlotRule() + "; bidding your value is not always best: a lower bid may win a cheaper slot worth more to you."
	case t.Slots() != nil:
		return "VCG: " + sim.VCG.SlotRule() + "; bidding your value never earns less than any other bid."
	}
	if t.Auction() == sim.FirstPrice {
		return "First price: you pay your bid, so bidding your value earns nothing; shade to profit, at the risk of losing."
	}
	if t.Increment() > 0 {
		return fmt.Sprintf("Second price: bidding your value never earns less than another bid, save at most the increment (%s) in an auction.", cpm(t.Increment()))
	}
	return "Second price: bidding your value never earns less than any other bid. Check the totals."
}

// Why names what set a round's price as a noun phrase that reads in a
// sentence ("paid 0.500, set by the floor"): the slot rule for several
// slots, else the reason at the round's increment, the increment's amount
// named so the price can be checked by hand. The winner is "the winner";
// whyOf names it otherwise ("your own bid").
func Why(res *seat.Result, r sim.PriceReason) string { return whyOf(res, r, "the winner's") }

// whyOf is Why with the winner's possessive given ("the winner's",
// "your"), for the seat that won reading its own price.
func whyOf(res *seat.Result, r sim.PriceReason, whose string) string {
	plus := ""
	if res.Increment > 0 {
		plus = " + increment " + cpm(res.Increment)
	}
	if res.Slots != nil && r != sim.CappedAtBid && r != sim.NoSale {
		why := sim.GSP.SlotPrice()
		switch {
		case res.VCG && whose == "your":
			why = "VCG: the clicks you take from the bidders below" // sim.VCG.SlotPrice, to the seat
		case res.VCG:
			why = "VCG: " + sim.VCG.SlotPrice()
		case r == sim.FloorPrice:
			why = "the floor"
		}
		return why + plus
	}
	if res.Slots != nil && r == sim.CappedAtBid {
		// A slot's price is the next bid's, not the second-highest.
		return whose + " own bid, as the next bid" + plus + " would pass it"
	}
	switch r {
	case sim.SecondBid:
		return "the second-highest bid" + plus
	case sim.FloorPrice:
		return "the floor" + plus
	case sim.CappedAtBid:
		// One level of brackets: a trainer's line puts this after a comma.
		// The base the increment was added to: the floor where no other
		// eligible bid was above it (a lone bid over the floor read "as
		// the second-highest bid + increment would pass it").
		base := "the second-highest bid"
		if second, ok := rankTwo(res); !ok || res.Floor > second {
			base = "the floor"
		}
		return whose + " own bid, as " + base + plus + " would pass it"
	case sim.FirstPriceBid:
		return whose + " own bid (first price)"
	}
	return r.Text(res.Increment)
}

// rankTwo is the second-highest eligible bid of a round, if any.
func rankTwo(res *seat.Result) (sim.Price, bool) {
	for _, r := range res.Responses {
		if r.Rank == 2 {
			return r.Bid, true
		}
	}
	return 0, false
}

// SetBy is what follows "paid 0.500, " in a sentence: "set by" the
// reason (Why), with whose the winner's possessive ("its", "your"); in
// first price only "its own bid (first price)", the price and its reason
// being one.
func SetBy(res *seat.Result, r sim.PriceReason, whose string) string {
	if r == sim.FirstPriceBid && res.Slots == nil {
		return whose + " own bid (first price)"
	}
	return "set by " + whyOf(res, r, whose)
}

// Standing describes one standing in a line or two ("rank 1 of 4: won,
// paid 0.433 (second bid + increment)", then the surplus as a sum).
func (st Styles) Standing(res *seat.Result, s seat.Standing, value sim.Price, ranked int) []string {
	if s.Rank == 0 {
		return []string{"Not in the auction."}
	}
	if !s.Won {
		return []string{fmt.Sprintf("Rank %d of %d: lost, no surplus.", s.Rank, ranked)}
	}
	// The terms as the sum shows them: value less price is s.Surplus
	// exactly, in micro-CPM, but each rounded to three decimals it could
	// read 0.585 - 0.483 = +0.101; with the few more decimals it takes,
	// the figures shown add up.
	a, b, sur := difference(s.Price+s.Surplus, s.Price)
	// Coloured as it reads: one that reads 0.000 is no gain or loss.
	switch sur[0] {
	case '+':
		sur = st.Good.Render(sur)
	case '-':
		sur = st.Bad.Render(sur)
	}
	if s.Slot > 0 {
		return []string{
			fmt.Sprintf("Rank %d of %d: won slot %d (click weight %g), paid %s per click (%s), %s for the impression.",
				s.Rank, ranked, s.Slot, s.Weight, cpm(s.Click), whyOf(res, s.Reason, "your"), cpm(s.Price)),
			fmt.Sprintf("Surplus: %g × value - price = %s - %s = %s", s.Weight, a, b, sur),
		}
	}
	// The operators are '-' as the result's sign is (Signed): a figure
	// copied from the screen is one a spreadsheet reads, and one line has
	// one minus. WrapWith keeps "a - b" whole.
	return []string{
		fmt.Sprintf("Rank %d of %d: won, paid %s, %s.", s.Rank, ranked, cpm(s.Price), SetBy(res, s.Reason, "your")),
		fmt.Sprintf("Surplus: value - price = %s - %s = %s", a, b, sur),
	}
}

// difference is a, b and a − b (signed as Signed signs it) with three
// decimals, or the fewest more, up to the micro-CPM's six, at which the
// figures as written add up: rounded one by one, 0.5847 - 0.4834 =
// 0.1013 reads 0.585 - 0.483 = 0.101.
func difference(a, b sim.Price) (string, string, string) {
	d := format.SumDecimals(a, b, 3)
	return format.FixedCPM(a, d), format.FixedCPM(b, d), format.SignedCPM(a-b, d)
}

// lostTo is what the sale a seat lost went for: the winner's price and
// why, or with several slots every slot's price per click.
func lostTo(res *seat.Result) string {
	if len(res.Slots) == 0 {
		return fmt.Sprintf("the winner paid %s, %s", cpm(res.Price), SetBy(res, res.Reason, "its"))
	}
	ps := make([]string, len(res.Slots))
	for j, sl := range res.Slots {
		ps[j] = cpm(sl.Click)
	}
	what := fmt.Sprintf("the %d slots went for %s per click", len(ps), strings.Join(ps, ", "))
	if len(ps) == 1 {
		what = "the one slot sold went for " + ps[0] + " per click"
	}
	return what
}

// Outcome is a few lines on what a seat got from a round and what bidding
// its value would have got.
func (st Styles) Outcome(res *seat.Result, o seat.Outcome) []string {
	ranked := 0
	for _, r := range res.Responses {
		if r.Rank > 0 {
			ranked++
		}
	}
	lines := []string{st.Heading.Render(fmt.Sprintf("Round %d", res.Number))}
	add := func(ss ...string) {
		for _, s := range ss {
			lines = append(lines, "  "+s)
		}
	}
	switch {
	case o.Bid.Pass:
		add(fmt.Sprintf("You passed (value %s).", cpm(o.Value)))
	case o.Status == sim.Late && o.Bid.None:
		add(fmt.Sprintf("No bid from you before the deadline (value %s): not in this auction.", cpm(o.Value)))
	case o.Status == sim.Late:
		add(st.Bad.Render("Too slow: your bid came after the deadline and was lost,"),
			st.Bad.Render("as a late S2S bid is."))
	case o.Status == sim.BelowFloor:
		add(fmt.Sprintf("You bid %s, under the floor %s: not in the auction.", cpm(o.Bid.Amount), cpm(res.Floor)))
	case !o.Result.Won:
		add(fmt.Sprintf("You bid %s for a value of %s.", cpm(o.Bid.Amount), cpm(o.Value)),
			fmt.Sprintf("Rank %d of %d: lost; %s.", o.Result.Rank, ranked, lostTo(res)))
		if t := tieText(res, o); t != "" {
			add(t)
		}
	default:
		add(fmt.Sprintf("You bid %s for a value of %s.", cpm(o.Bid.Amount), cpm(o.Value)))
		add(st.Standing(res, o.Result, o.Value, ranked)...)
		if t := tieText(res, o); t != "" {
			add(t)
		}
	}
	if !o.Result.Won && (o.Result.Rank == 0 || o.Bid.Pass) {
		if res.Winner < 0 {
			add("Nobody won: no eligible bid.")
		} else {
			// With several slots every slot's price, not slot 1's as
			// "the winner's", as a round lost says it.
			what := lostTo(res)
			add(strings.ToUpper(what[:1]) + what[1:] + ".")
		}
	}
	v, what := hadWith(o.Value, o.Truthful)
	add(st.Faint.Render(fmt.Sprintf("Had you bid your value %s: %s.", v, what)))
	if res.FirstPrice {
		// The benchmark the totals compare with, as a number: what to
		// shade to, not only that shading pays. Won, β is the price.
		v, what := hadWith(o.Value, o.Equilibrium)
		beta := cpm(o.EquilibriumBid)
		if o.Equilibrium.Won && o.Equilibrium.Slot == 0 {
			_, beta, _ = difference(o.Value, o.Equilibrium.Price)
		}
		add(st.Faint.Render(fmt.Sprintf("Had you bid the equilibrium β(%s) = %s: %s.", v, beta, what)))
	}
	return lines
}

// hadWith is the value and what a counterfactual bid got (had), won with
// one item written as value, price and surplus are in the round's own
// sum (difference): with the fewest decimals at which value − price reads
// as the surplus. Each rounded apart, a value of 0.8044 won at 0.6076 read
// "0.804: won, paid 0.608, surplus +0.197", which a student checking by
// hand makes 0.196.
func hadWith(value sim.Price, s seat.Standing) (string, string) {
	if !s.Won || s.Slot > 0 || s.Rank == 0 {
		return cpm(value), had(s)
	}
	v, p, d := difference(value, s.Price)
	return v, fmt.Sprintf("won, paid %s, surplus %s", p, d)
}

// had is what a counterfactual bid got: lost, won at a price with the
// surplus, a slot, or not in the auction at all.
func had(s seat.Standing) string {
	switch {
	case s.Rank == 0:
		return "not in the auction (under the floor)"
	case s.Won && s.Slot > 0:
		// Per click as the header says, and per impression as the
		// surplus counts it.
		return fmt.Sprintf("slot %d, paid %s per click (%s for the impression), surplus %s", s.Slot,
			cpm(s.Click), cpm(s.Price), Signed(s.Surplus))
	case s.Won:
		return fmt.Sprintf("won, paid %s, surplus %s", cpm(s.Price), Signed(s.Surplus))
	}
	return "lost"
}

// Totals is a small table of a seat's running totals beside bidding its
// value on the very same rounds, its columns as wide as their content
// (format.Columns, as the classroom's reveal), so that a large spend or
// many rounds neither cut nor shift a figure.
func (st Styles) Totals(tt seat.Totals, a sim.AuctionType) []string {
	d := tt.Surplus - tt.Truthful.Surplus
	diff := "the same as bidding your value"
	switch {
	case d < 0:
		diff = st.Bad.Render(fmt.Sprintf("%s less than bidding your value", cpm(-d)))
	case d > 0:
		diff = st.Good.Render(fmt.Sprintf("%s more than bidding your value", cpm(d)))
	}
	head := []string{st.Heading.Render(fmt.Sprintf("Totals, %d %s", tt.Rounds, format.Plural(tt.Rounds, "round", "rounds"))),
		st.Faint.Render("your bids"), st.Faint.Render("bidding your value")}
	rows := [][]string{
		{"  wins", strconv.FormatUint(tt.Wins, 10), strconv.FormatUint(tt.Truthful.Wins, 10)},
		{"  spend", cpm(tt.Spend), cpm(tt.Truthful.Spend)},
		{"  surplus", Signed(tt.Surplus), Signed(tt.Truthful.Surplus)},
	}
	right := []bool{false, true, true}
	var more string
	if a == sim.FirstPrice {
		// Bidding one's value always earns 0 in first price: the
		// benchmark a student's shading is measured by is the
		// equilibrium β(v), as on the leaderboard.
		head = append(head, st.Faint.Render("equilibrium β(v)"))
		eq := tt.Equilibrium
		for i, v := range []string{strconv.FormatUint(eq.Wins, 10), cpm(eq.Spend), Signed(eq.Surplus)} {
			rows[i] = append(rows[i], v)
		}
		right = append(right, true)
		e := tt.Surplus - eq.Surplus
		more = ", and the same as the equilibrium β(v)"
		switch {
		case e < 0:
			more = ", and " + st.Bad.Render(fmt.Sprintf("%s less than the equilibrium β(v)", cpm(-e)))
		case e > 0:
			more = ", and " + st.Good.Render(fmt.Sprintf("%s more than the equilibrium β(v)", cpm(e)))
		}
	}
	tab := format.Columns{Right: right, Rows: append([][]string{head}, rows...)}
	return append(tab.Lines(0), "  Your bids earned "+diff+more+".")
}

// TotalsLine is Totals in one line, for a screen with no room for the
// table: the surplus so far beside the benchmark's on the same rounds
// (bidding one's value; in first price, the equilibrium β(v), where
// bidding one's value always earns 0).
func (st Styles) TotalsLine(tt seat.Totals, a sim.AuctionType) string {
	bench, alt := "bidding your value", tt.Truthful.Surplus
	if a == sim.FirstPrice {
		bench, alt = "the equilibrium β(v)", tt.Equilibrium.Surplus
	}
	return st.Heading.Render(fmt.Sprintf("Your surplus, %d %s:", tt.Rounds, format.Plural(tt.Rounds, "round", "rounds"))) +
		fmt.Sprintf(" %s (%s: %s)", Signed(tt.Surplus), bench, Signed(alt))
}

// outcomeOf is what bidder i got from res: its slot (1 the best) with
// several slots, else 1 for the winner; 0 nothing.
func outcomeOf(res *seat.Result, i int) int {
	if len(res.Slots) == 0 {
		if res.Winner == i {
			return 1
		}
		return 0
	}
	for j, sl := range res.Slots {
		if sl.Bidder == i {
			return j + 1
		}
	}
	return 0
}

// TiedWith is how many other ranked bids of res equal bidder i's and got
// something else (the item, another slot, or nothing): a tie the exchange
// broke at random (ties draw uniformly), so that rank alone does not say
// why i won or lost. Ties that changed nothing are not counted.
func TiedWith(res *seat.Result, i int) int {
	if i < 0 || i >= len(res.Responses) || res.Responses[i].Rank == 0 {
		return 0
	}
	bid, got, n := res.Responses[i].Bid, outcomeOf(res, i), 0
	for j, r := range res.Responses {
		if j != i && r.Rank > 0 && r.Bid == bid && outcomeOf(res, j) != got {
			n++
		}
	}
	return n
}

// TieNote is a sentence on a tie res broke at random that decided who won
// what ("A tie at 0.500: the exchange drew the winner at random."), or "".
func TieNote(res *seat.Result) string {
	for i, r := range res.Responses {
		if TiedWith(res, i) > 0 {
			who := "the winner"
			if len(res.Slots) > 0 {
				who = "who got which slot"
			}
			return fmt.Sprintf("A tie at %s: the exchange drew %s at random.", cpm(r.Bid), who)
		}
	}
	return ""
}

// tieText is a seat's line on the tie it was in, or "".
func tieText(res *seat.Result, o seat.Outcome) string {
	n := TiedWith(res, o.Bidder)
	if n == 0 {
		return ""
	}
	others := "another bid"
	if n > 1 {
		others = fmt.Sprintf("%d other bids", n)
	}
	verb := "lost"
	if o.Result.Won {
		verb = "won"
	}
	return fmt.Sprintf("Your bid tied with %s at %s: you %s the draw the exchange breaks ties with.", others, cpm(o.Bid.Amount), verb)
}
