package openrtb

import "encoding/json"

// The OpenRTB 2.6 objects below carry the Go field names and JSON tags of
// github.com/prebid/openrtb/v20/openrtb2 (the library Prebid Server is
// built on), cut to the fields the simulation fills in, so that a real
// Prebid Server or DSP reading them sees valid OpenRTB: a field OpenRTB
// calls optional is omitted when empty, as there. The ext objects are
// Prebid Server's (github.com/prebid/prebid-server openrtb_ext), typed
// here for convenience; Ext fields stay json.RawMessage as in openrtb2,
// so the types swap for openrtb2's one for one.

// BidRequest is OpenRTB 2.6 §3.2.1 (openrtb2/bid_request.go).
type BidRequest struct {
	ID     string          `json:"id"`
	Imp    []Imp           `json:"imp"`
	Site   *Site           `json:"site,omitempty"`
	Device *Device         `json:"device,omitempty"`
	User   *User           `json:"user,omitempty"`
	Test   int8            `json:"test,omitempty"`
	AT     int64           `json:"at,omitempty"`   // auction type: 1 first price, 2 second price plus; default 2
	TMax   int64           `json:"tmax,omitempty"` // ms to answer, Internet latency included
	Cur    []string        `json:"cur,omitempty"`  // currencies allowed for bids
	Source *Source         `json:"source,omitempty"`
	Ext    json.RawMessage `json:"ext,omitempty"` // Prebid Server: ExtRequest
}

// Imp is one impression (§3.2.4, openrtb2/imp.go).
type Imp struct {
	ID          string          `json:"id"`
	Banner      *Banner         `json:"banner,omitempty"`
	TagID       string          `json:"tagid,omitempty"`
	BidFloor    float64         `json:"bidfloor,omitempty"`    // CPM; default 0
	BidFloorCur string          `json:"bidfloorcur,omitempty"` // default USD
	Secure      *int8           `json:"secure,omitempty"`
	Ext         json.RawMessage `json:"ext,omitempty"` // Prebid Server: ExtImp
}

// Banner is a display placement (§3.2.6, openrtb2/banner.go).
type Banner struct {
	Format []Format        `json:"format,omitempty"`
	W      *int64          `json:"w,omitempty"`
	H      *int64          `json:"h,omitempty"`
	Ext    json.RawMessage `json:"ext,omitempty"`
}

// Format is one allowed banner size (§3.2.10, openrtb2/format.go).
type Format struct {
	W   int64           `json:"w,omitempty"`
	H   int64           `json:"h,omitempty"`
	Ext json.RawMessage `json:"ext,omitempty"`
}

// Site is the website the impression is on (§3.2.13, openrtb2/site.go).
type Site struct {
	ID        string          `json:"id,omitempty"`
	Name      string          `json:"name,omitempty"`
	Domain    string          `json:"domain,omitempty"`
	Page      string          `json:"page,omitempty"`
	Ref       string          `json:"ref,omitempty"`
	Publisher *Publisher      `json:"publisher,omitempty"`
	Ext       json.RawMessage `json:"ext,omitempty"`
}

// Publisher owns the site (§3.2.15, openrtb2/publisher.go).
type Publisher struct {
	ID     string          `json:"id,omitempty"`
	Name   string          `json:"name,omitempty"`
	Domain string          `json:"domain,omitempty"`
	Ext    json.RawMessage `json:"ext,omitempty"`
}

// Device is the user's device (§3.2.18, openrtb2/device.go).
type Device struct {
	UA  string          `json:"ua,omitempty"`
	IP  string          `json:"ip,omitempty"`
	Ext json.RawMessage `json:"ext,omitempty"`
}

// User is the human behind the device (§3.2.20, openrtb2/user.go).
type User struct {
	ID       string          `json:"id,omitempty"`
	BuyerUID string          `json:"buyeruid,omitempty"`
	Ext      json.RawMessage `json:"ext,omitempty"`
}

// Source is the request's origin (§3.2.2, openrtb2/source.go); TID is the
// transaction id every party in the chain sees.
type Source struct {
	FD  *int8           `json:"fd,omitempty"`
	TID string          `json:"tid,omitempty"`
	Ext json.RawMessage `json:"ext,omitempty"`
}

// BidResponse is §4.2.1 (openrtb2/bid_response.go): bids in SeatBid, or a
// no-bid with NBR and no SeatBid (most bidders send HTTP 204 instead).
type BidResponse struct {
	ID      string          `json:"id"` // the request's id
	SeatBid []SeatBid       `json:"seatbid,omitempty"`
	BidID   string          `json:"bidid,omitempty"`
	Cur     string          `json:"cur,omitempty"` // default USD
	NBR     *NoBidReason    `json:"nbr,omitempty"`
	Ext     json.RawMessage `json:"ext,omitempty"` // Prebid Server: ExtBidResponse
}

// SeatBid is one seat's bids (§4.2.2, openrtb2/seat_bid.go).
type SeatBid struct {
	Bid  []Bid           `json:"bid"`
	Seat string          `json:"seat,omitempty"`
	Ext  json.RawMessage `json:"ext,omitempty"`
}

// Bid is one offer to buy an impression (§4.2.3, openrtb2/bid.go).
type Bid struct {
	ID      string          `json:"id"`
	ImpID   string          `json:"impid"`
	Price   float64         `json:"price"` // CPM
	NURL    string          `json:"nurl,omitempty"`
	BURL    string          `json:"burl,omitempty"`
	LURL    string          `json:"lurl,omitempty"`
	AdM     string          `json:"adm,omitempty"`
	AdID    string          `json:"adid,omitempty"`
	ADomain []string        `json:"adomain,omitempty"`
	CID     string          `json:"cid,omitempty"`
	CrID    string          `json:"crid,omitempty"`
	W       int64           `json:"w,omitempty"`
	H       int64           `json:"h,omitempty"`
	MType   MarkupType      `json:"mtype,omitempty"`
	Ext     json.RawMessage `json:"ext,omitempty"`
}

// MarkupType is Bid.mtype (openrtb2/markup_type.go).
type MarkupType int8

// Markup types.
const (
	MarkupBanner MarkupType = 1
	MarkupVideo  MarkupType = 2
	MarkupAudio  MarkupType = 3
	MarkupNative MarkupType = 4
)

// NoBidReason is BidResponse.nbr, OpenRTB's List: No-Bid Reason Codes
// (openrtb3/no_bid_reason.go; 500+ are exchange specific).
type NoBidReason int64

// No-bid reasons.
const (
	NoBidUnknownError      NoBidReason = 0  // Unknown Error
	NoBidTechnicalError    NoBidReason = 1  // Technical Error
	NoBidInvalidRequest    NoBidReason = 2  // Invalid Request
	NoBidUnmatchedUser     NoBidReason = 8  // Unmatched User
	NoBidDailyUserCap      NoBidReason = 9  // Daily User Cap Met
	NoBidDailyDomainCap    NoBidReason = 10 // Daily Domain Cap Met
	NoBidInsufficientTime  NoBidReason = 15 // Insufficient Auction Time
	NoBidBlockedSupplyNode NoBidReason = 17 // Blocked SupplyChain Node
)

// LossReason is the ${AUCTION_LOSS} macro of a loss notice, OpenRTB's List:
// Loss Reason Codes (openrtb3/loss_reason.go; 500+ are exchange specific).
type LossReason int64

// Loss reasons.
const (
	LossWon               LossReason = 0   // Bid Won
	LossInternalError     LossReason = 1   // Internal Error
	LossExpired           LossReason = 2   // Impression Opportunity Expired
	LossInvalidResponse   LossReason = 3   // Invalid Bid Response
	LossBelowAuctionFloor LossReason = 100 // Bid was Below Auction Floor
	LossBelowDealFloor    LossReason = 101 // Bid was Below Deal Floor
	LossLostToHigherBid   LossReason = 102 // Lost to Higher Bid
	LossLostToDealBid     LossReason = 103 // Lost to a Bid for a Deal
)

// NonBidReason is a seat non-bid status code as Prebid Server writes it in
// ext.prebid.seatnonbid (prebid-server exchange/non_bid_reason.go, after
// the IAB Seat Non Bid community extension's List: Non-Bid Status Codes).
type NonBidReason int64

// Seat non-bid status codes.
const (
	NonBidNoBidGeneral                      NonBidReason = 0   // No Bid - General (the IAB list; Prebid Server leaves no-bids out)
	NonBidErrorGeneral                      NonBidReason = 100 // Error - General
	NonBidErrorTimeout                      NonBidReason = 101 // Error - Timeout
	NonBidErrorBidderUnreachable            NonBidReason = 103 // Error - Bidder Unreachable
	NonBidResponseRejectedGeneral           NonBidReason = 300 // Response Rejected - General
	NonBidResponseRejectedBelowFloor        NonBidReason = 301 // Response Rejected - Below Floor
	NonBidResponseRejectedCategoryMapping   NonBidReason = 303 // Response Rejected - Category Mapping Invalid
	NonBidResponseRejectedBelowDealFloor    NonBidReason = 304 // Response Rejected - Bid was Below Deal Floor
	NonBidResponseRejectedCreativeSize      NonBidReason = 351 // Response Rejected - Invalid Creative (Size Not Allowed)
	NonBidResponseRejectedCreativeNotSecure NonBidReason = 352 // Response Rejected - Invalid Creative (Not Secure)
)

// Prebid Server's error codes in BidResponse.ext.errors[bidder][].code
// (prebid-server errortypes/code.go).
const (
	ErrorCodeTimeout           = 1   // TimeoutErrorCode: the bidder did not answer within tmax
	ErrorCodeBadInput          = 2   // BadInputErrorCode
	ErrorCodeBadServerResponse = 4   // BadServerResponseErrorCode: e.g. HTTP 5xx, unreadable body
	ErrorCodeFailedToRequest   = 5   // FailedToRequestBidsErrorCode
	ErrorCodeTmaxTimeout       = 12  // TmaxTimeoutErrorCode: too little of tmax left to call the bidder ("exceeded tmax duration")
	ErrorCodeUnknown           = 999 // UnknownErrorCode: e.g. a connection refused

	// WarningCodeFloorBidRejection is FloorBidRejectionWarningCode: a bid
	// below the floor, rejected (ext.warnings.general).
	WarningCodeFloorBidRejection = 10009
)

// BidderReservedGeneral keys ext.errors and ext.warnings entries that are
// no one bidder's (openrtb_ext/bidders.go).
const BidderReservedGeneral = "general"

// ExtRequest is BidRequest.ext as Prebid Server reads it
// (openrtb_ext/request.go), cut to what the simulation sets.
type ExtRequest struct {
	Prebid ExtRequestPrebid `json:"prebid"`
}

// ExtRequestPrebid is BidRequest.ext.prebid.
type ExtRequestPrebid struct {
	// ReturnAllBidStatus asks Prebid Server for ext.prebid.seatnonbid in
	// the response.
	ReturnAllBidStatus bool `json:"returnallbidstatus,omitempty"`
	// Debug asks for ext.debug in the response.
	Debug bool `json:"debug,omitempty"`
	// Targeting asks for the hb_* key-values; present as an object.
	Targeting json.RawMessage `json:"targeting,omitempty"`
}

// ExtImp is Imp.ext: in the request to Prebid Server the bidders to call
// sit under prebid.bidder.NAME (openrtb_ext/imp.go); in the request Prebid
// Server sends a bidder, its own parameters sit under bidder and the
// other bidders are gone (exchange/utils.go, splitImps).
type ExtImp struct {
	Prebid *ExtImpPrebid   `json:"prebid,omitempty"`
	Bidder json.RawMessage `json:"bidder,omitempty"`
}

// ExtImpPrebid is Imp.ext.prebid.
type ExtImpPrebid struct {
	// Bidder maps each bidder to call to its parameters; {} when none is.
	Bidder map[string]json.RawMessage `json:"bidder"`
}

// ExtBidResponse is the exchange's BidResponse.ext as Prebid Server writes
// it (openrtb_ext/response.go).
type ExtBidResponse struct {
	// Errors are each bidder's errors: a timeout, an HTTP error.
	Errors map[string][]ExtBidderMessage `json:"errors,omitempty"`
	// Warnings are each bidder's warnings.
	Warnings map[string][]ExtBidderMessage `json:"warnings,omitempty"`
	// ResponseTimeMillis is how long each called bidder took, whole ms.
	ResponseTimeMillis map[string]int `json:"responsetimemillis,omitempty"`
	// RequestTimeoutMillis is the tmax the auction ran with.
	RequestTimeoutMillis int64              `json:"tmaxrequest,omitempty"`
	Prebid               *ExtResponsePrebid `json:"prebid,omitempty"`
}

// ExtBidderMessage is one error or warning: a Prebid Server error code
// (ErrorCode…) and a message.
type ExtBidderMessage struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// ExtResponsePrebid is BidResponse.ext.prebid.
type ExtResponsePrebid struct {
	AuctionTimestamp int64 `json:"auctiontimestamp,omitempty"`
	// SeatNonBid holds, per seat, each impression that got no bid into the
	// auction and why (when the request asked returnallbidstatus).
	SeatNonBid []SeatNonBid `json:"seatnonbid,omitempty"`
}

// SeatNonBid is one seat's non-bids (openrtb_ext/response.go).
type SeatNonBid struct {
	NonBid []NonBid        `json:"nonbid"`
	Seat   string          `json:"seat"`
	Ext    json.RawMessage `json:"ext,omitempty"`
}

// NonBid is one impression a seat got no bid into the auction for, and why.
type NonBid struct {
	ImpID      string       `json:"impid"`
	StatusCode NonBidReason `json:"statuscode"`
	Ext        *NonBidExt   `json:"ext,omitempty"`
}

// NonBidExt carries the rejected bid, when there was one (a 301).
type NonBidExt struct {
	Prebid ExtResponseNonBidPrebid `json:"prebid"`
}

// ExtResponseNonBidPrebid is NonBid.ext.prebid.
type ExtResponseNonBidPrebid struct {
	Bid NonBidObject `json:"bid"`
}

// NonBidObject is what Prebid Server keeps of a rejected bid.
type NonBidObject struct {
	Price          float64    `json:"price,omitempty"`
	ADomain        []string   `json:"adomain,omitempty"`
	W              int64      `json:"w,omitempty"`
	H              int64      `json:"h,omitempty"`
	MType          MarkupType `json:"mtype,omitempty"`
	OriginalBidCPM float64    `json:"origbidcpm,omitempty"`
	OriginalBidCur string     `json:"origbidcur,omitempty"`
}

// ExtBid is Bid.ext in the exchange's response (openrtb_ext/bid.go).
type ExtBid struct {
	Prebid *ExtBidPrebid `json:"prebid,omitempty"`
}

// ExtBidPrebid is Bid.ext.prebid: Type is the media type ("banner").
type ExtBidPrebid struct {
	Type string `json:"type,omitempty"`
}
