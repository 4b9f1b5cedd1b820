package report

import "github.com/auctionsim/auctionsim/sim"

// Group is one advertiser group: the sums over its member bidders. Ratios
// are ratios of the sums; null when the group spent nothing.
type Group struct {
	Name    string   `json:"name"`
	Members []string `json:"members"`
	// Budget adds up the members' budgets; UnlimitedMembers counts those
	// without one, which add nothing to it.
	Budget           float64 `json:"budget"`
	UnlimitedMembers int     `json:"unlimited_members"`
	// DailyBudget adds up the daily budgets of the members without a
	// budget (those counted in UnlimitedMembers): the group spends at
	// most Budget in all plus DailyBudget a day. UncappedMembers counts
	// the members with neither, which leave the group without a cap.
	DailyBudget     float64 `json:"daily_budget"`
	UncappedMembers int     `json:"uncapped_members"`
	Spend           float64 `json:"spend"`
	Unspent         float64 `json:"unspent"` // Σ (budget − spend) over budgeted members
	Wins            uint64  `json:"wins"`
	// Conversions are those last-touch attribution credits to the ads.
	// The incremental figures are the members' model's truth (see
	// Bidder), signed; the caused ones, below, are above them with
	// people.
	Conversions            uint64  `json:"conversions"`
	IncrementalConversions int64   `json:"incremental_conversions"`
	AttributedValue        float64 `json:"attributed_value"`
	IncrementalValue       float64 `json:"incremental_value"`
	AttributedROAS         Num     `json:"attributed_roas"`
	IncrementalROAS        Num     `json:"incremental_roas"`
	// IncrementalProfit is incremental value − spend, AttributedProfit
	// attributed value − spend (currency).
	IncrementalProfit float64 `json:"incremental_profit"`
	AttributedProfit  float64 `json:"attributed_profit"`
	// PendingConversions are the members' conversions drawn but not
	// matured when the snapshot was taken (at the end: past the stop).
	PendingConversions uint64 `json:"pending_conversions"`
	// DailySum adds up every member's daily budget, beside a total or
	// not: the sum split --budget daily divides.
	DailySum float64 `json:"daily_sum"`
	// CausedConversions are those the members' ads caused, CausedValue
	// their order value.
	CausedConversions uint64  `json:"caused_conversions"`
	CausedValue       float64 `json:"caused_value"`
	// CausedROAS is CausedValue / spend (null when the group spent
	// nothing); WithoutAdConversions the members' without_ad_conversions
	// added up.
	CausedROAS           Num    `json:"caused_roas"`
	WithoutAdConversions uint64 `json:"without_ad_conversions"`
	// Eventual are the conversion figures counting the members'
	// conversions still pending as matured: what the group's
	// impressions so far will have earned (see Eventual).
	Eventual Eventual `json:"eventual"`
}

// Eventual are a bidder's or a group's conversion figures counting the
// conversions still pending at the snapshot (pending_conversions; at the
// end of a run, those past the stop) as matured: each is drawn in full
// at the click, so what it will add is known. They are what the
// impressions bought so far will have earned, whenever their conversions
// mature, the figures a planner decides on (split's objective); the
// figures beside them count only the conversions matured so far. As
// those, incremental = caused + organic − without ad, and Conversions
// are those last touch credits to the ads.
type Eventual struct {
	Conversions            uint64  `json:"conversions"`
	CausedConversions      uint64  `json:"caused_conversions"`
	OrganicConversions     uint64  `json:"organic_conversions"`
	WithoutAdConversions   uint64  `json:"without_ad_conversions"`
	IncrementalConversions int64   `json:"incremental_conversions"`
	AttributedValue        float64 `json:"attributed_value"`
	CausedValue            float64 `json:"caused_value"`
	IncrementalValue       float64 `json:"incremental_value"`
	AttributedROAS         Num     `json:"attributed_roas"` // null without spend
	IncrementalROAS        Num     `json:"incremental_roas"`
	// The profits are value − spend; a bidder's are null without an
	// outcome model.
	AttributedProfit  Num `json:"attributed_profit"`
	IncrementalProfit Num `json:"incremental_profit"`
}

// eventual is the eventual figures, read from m (a bidder's or a
// group's metrics).
func eventual(m metrics) Eventual {
	m = m.sub("eventual.")
	return Eventual{
		Conversions:            m.n("conversions"),
		CausedConversions:      m.n("caused_conversions"),
		OrganicConversions:     m.n("organic_conversions"),
		WithoutAdConversions:   m.n("without_ad_conversions"),
		IncrementalConversions: m.i("incremental_conversions"),
		AttributedValue:        m.f("attributed_value"),
		CausedValue:            m.f("caused_value"),
		IncrementalValue:       m.f("incremental_value"),
		AttributedROAS:         m.num("attributed_roas"),
		IncrementalROAS:        m.num("incremental_roas"),
		AttributedProfit:       m.num("attributed_profit"),
		IncrementalProfit:      m.num("incremental_profit"),
	}
}

// Planning is what a bidder adds for planners: whether its budget is
// unspent and why, and its incrementality test. Bidder embeds it, so its
// fields sit with the bidder's.
type Planning struct {
	// Unspent flags a bidder behind its budget by more than 5% of it (at
	// the run's planned end: more than 5% unspent); UnspentReason says why:
	// below_market, pacing_bound, goal, capped, throttled, late, held_out
	// or disabled.
	Unspent       bool     `json:"unspent"`
	UnspentReason string   `json:"unspent_reason,omitempty"`
	Group         string   `json:"group,omitempty"`
	Holdout       *Holdout `json:"holdout"` // null without a holdout
}

// Holdout is a bidder's incrementality test with ghost bids.
type Holdout struct {
	Share float64 `json:"share"`
	// Unit is what the test randomises, "person" or "request"; absent in
	// a world without people, where requests are the only unit.
	Unit               string `json:"unit,omitempty"`
	Held               uint64 `json:"held"`       // opportunities held back
	GhostWins          uint64 `json:"ghost_wins"` // held back where the bid would have won: the control arm
	ControlConversions uint64 `json:"control_conversions"`
	TreatedWins        uint64 `json:"treated_wins"`
	TreatedConversions uint64 `json:"treated_conversions"`
	// Lift is the conversions per impression the ad causes, measured:
	// treated rate − control rate, with its 95% interval.
	Lift                    Estimate `json:"lift_per_impression"`
	MeasuredIncrementalROAS Estimate `json:"measured_incremental_roas"`
	// Beside it: what last touch claims, and the model's true value.
	AttributedROAS  Num `json:"attributed_roas"`
	IncrementalROAS Num `json:"incremental_roas"`
	// What the test cost: impressions not bought, what they would have
	// cost and the bidder's value of them (currency).
	Cost HoldoutCost `json:"cost"`
	// By person only (unit "person"); nil otherwise, and then its fields
	// are absent. Embedded, its fields sit with the others in the JSON.
	*HoldoutByPerson
}

// HoldoutByPerson is what a holdout by person adds: the people exposed
// in each arm (treated with an impression, control with a ghost
// impression), the lift per exposed person, the incremental conversions
// and value it measures (lift × treated people), and the model's truth:
// the treated people's conversions less those they would have made
// without the ad, and its ROAS.
type HoldoutByPerson struct {
	TreatedPeople                  uint64   `json:"treated_people"`
	ControlPeople                  uint64   `json:"control_people"`
	LiftPerPerson                  Estimate `json:"lift_per_person"`
	MeasuredIncrementalConversions Estimate `json:"measured_incremental_conversions"`
	MeasuredIncrementalValue       Estimate `json:"measured_incremental_value"`
	TrueIncrementalConversions     Num      `json:"true_incremental_conversions"`
	TrueIncrementalROAS            Num      `json:"true_incremental_roas"`
}

// HoldoutCost is what a holdout test gave up.
type HoldoutCost struct {
	Impressions uint64  `json:"impressions"`
	Spend       float64 `json:"spend"`
	Value       float64 `json:"value"`
}

// Estimate is a measured value with its 95% interval; null fields while it
// cannot be measured.
type Estimate struct {
	Mean Num `json:"mean"`
	Lo   Num `json:"lo"`
	Hi   Num `json:"hi"`
}

func estimate(m metrics) Estimate {
	return Estimate{Mean: m.num("mean"), Lo: m.num("lo"), Hi: m.num("hi")}
}

// addPlanning fills in the groups and each bidder's planning fields,
// their numbers read from all.
func addPlanning(s *Summary, snap *sim.Snapshot, all metrics) {
	s.Groups = make([]Group, len(snap.Groups))
	for i, g := range snap.Groups {
		m := all.sub("groups." + g.Name + ".")
		s.Groups[i] = Group{
			Name:                   g.Name,
			Members:                append([]string{}, g.Members...),
			Budget:                 m.f("budget"),
			UnlimitedMembers:       int(m.n("unlimited_members")),
			DailyBudget:            m.f("daily_budget"),
			UncappedMembers:        int(m.n("uncapped_members")),
			Spend:                  m.f("spend"),
			Unspent:                m.f("unspent"),
			Wins:                   m.n("wins"),
			Conversions:            m.n("conversions"),
			IncrementalConversions: m.i("incremental_conversions"),
			AttributedValue:        m.f("attributed_value"),
			IncrementalValue:       m.f("incremental_value"),
			AttributedROAS:         m.num("attributed_roas"),
			IncrementalROAS:        m.num("incremental_roas"),
			IncrementalProfit:      m.f("incremental_profit"),
			AttributedProfit:       m.f("attributed_profit"),
			PendingConversions:     m.n("pending_conversions"),
			DailySum:               m.f("daily_sum"),
			CausedConversions:      m.n("caused_conversions"),
			CausedValue:            m.f("caused_value"),
			CausedROAS:             m.num("caused_roas"),
			WithoutAdConversions:   m.n("without_ad_conversions"),
			Eventual:               eventual(m),
		}
	}
	for i, b := range snap.Bidders {
		bm := all.sub("bidders." + b.Name + ".")
		p := &s.Bidders[i].Planning
		p.Unspent = bm.yes("unspent")
		p.UnspentReason = b.Unspent.String()
		p.Group = b.Group
		if b.Holdout != nil {
			m := bm.sub("holdout.")
			p.Holdout = &Holdout{
				Share:                   m.f("share"),
				Held:                    m.n("held"),
				GhostWins:               m.n("ghost_wins"),
				ControlConversions:      m.n("control_conversions"),
				TreatedWins:             m.n("treated_wins"),
				TreatedConversions:      m.n("treated_conversions"),
				Lift:                    estimate(m.sub("lift_per_impression.")),
				MeasuredIncrementalROAS: estimate(m.sub("measured_incremental_roas.")),
				AttributedROAS:          m.num("attributed_roas"),
				IncrementalROAS:         m.num("incremental_roas"),
				Cost: HoldoutCost{
					Impressions: m.n("cost.impressions"),
					Spend:       m.f("cost.spend"),
					Value:       m.f("cost.value"),
				},
			}
			h := p.Holdout
			if b.Holdout.People {
				h.Unit = b.Holdout.Unit.String()
			}
			if b.Holdout.Unit == sim.HoldoutByPerson {
				h.HoldoutByPerson = &HoldoutByPerson{
					TreatedPeople:                  m.n("treated_people"),
					ControlPeople:                  m.n("control_people"),
					LiftPerPerson:                  estimate(m.sub("lift_per_person.")),
					MeasuredIncrementalConversions: estimate(m.sub("measured_incremental_conversions.")),
					MeasuredIncrementalValue:       estimate(m.sub("measured_incremental_value.")),
					TrueIncrementalConversions:     m.num("true_incremental_conversions"),
					TrueIncrementalROAS:            m.num("true_incremental_roas"),
				}
			}
		}
	}
}
