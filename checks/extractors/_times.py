"""Dispatch and delivery times: the reader shared by both kinds, its cues and blockers.

Most misreadings are times whose subject is not the shop's standing promise
(a tracking email, one weekday's orders, a carrier's relayed estimate); the
blockers below name those subjects.
"""

from __future__ import annotations

import re

from cx_auditor.checks.extractors._model import DELIVERY_TIME, DISPATCH_TIME, Claim, _normalised
from cx_auditor.checks.extractors._places import (
    _CARRIER_NAME,
    _CLAUSE_BREAK,
    _clause_bounds,
    _for_region,
    _home_in_clause,
    qualifier_near,
)

# ---------------------------------------------------------------------------
# Dispatch and delivery times
# ---------------------------------------------------------------------------

_TIME_SPAN = re.compile(
    r"(?P<either>same\s+or\s+(?:the\s+)?(?:next|following)[- ](?:business[- ]|working[- ]|work[- ])?day|"
    # "posted the same day if possible, or the next day": the same span, a hedge on its first end
    r"(?:same[- ](?:business[- ]|working[- ])?day|"
    r"\bthe\s+day\s+(?:we|you)\s+(?:receive|get|place)\s+(?:it|them|your\s+order))"
    r"\s*,?\s*(?:\(?(?:if|where|when)\s+possible\)?\s*,?\s*)?or\s+(?:at\s+the\s+latest\s+|at\s+latest\s+)?"
    r"(?:on\s+)?(?:the\s+)?(?:next|following)[- ](?:business[- ]|working[- ]|work[- ])?day)|"
    r"(?P<same>same[- ](?:business[- ]|working[- ]|work[- ])?day|"
    # "processed on the day they are placed", "the day your order is received": the order's own day
    r"\bthe\s+day\s+(?:(?:it|they|your\s+orders?|orders?|you)\s+(?:is\s+|are\s+|was\s+|were\s+)?)"
    r"(?:placed|received|made|submitted|ordered|order|pay)\b)|"
    # "dispatched that day", "ships today": same day, read only after an order cut-off ("by 2pm")
    r"(?P<that>\bthat\s+(?:same\s+)?day\b|\btoday\b)|"
    r"(?P<next>(?:next|following)[- ](?:business[- ]|working[- ]|work[- ])?day)|"
    # "5-7 full business days", "2 clear working days": the adjective counts whole days, as plain ones
    # "one or two working days" (number words become digits first) is a range too
    # (one run of separators before the unit: two adjacent "[\s-]*" would split a long run of hyphens
    # every possible way before failing)
    r"(?:(?P<lo>\d{1,2})\s*(?:-|–|—|~|to|or)\s*)?(?P<hi>\d{1,2})[\s-]*(?:(?:full|whole|clear)\s+)?"
    r"(?:(?P<biz>business|working|work)[\s-]*)?"
    # "1-3 weekdays" counts business days; "24h" is hours written short
    r"(?P<unit>hours?|hrs?|h|weekdays?|days?|weeks?)\b",
    re.I,
)
#: "shipping confirmation", "dispatch email": a message about the parcel, not its journey.
_MESSAGE_NOUN = r"\s+(?:confirmation|notification|e-?mail|label|update|address|notice|note)"
_DISPATCH_CUE = re.compile(
    rf"\b(ships|shipped|ship|dispatch\w*(?!{_MESSAGE_NOUN})|despatch\w*(?!{_MESSAGE_NOUN})|"
    r"process(?:ed|ing)?(?:\s+times?)?|mailed|"
    r"(?:orders?|parcels?|packages?)\s+(?:is|are|will be)\s+(?:usually\s+|normally\s+)?handled|"
    r"on (?:its|their) way|"
    r"(?:orders?|parcels?|packages?|it|they)\s+(?:will\s+|usually\s+|normally\s+)?leaves?|"
    r"(?:orders?|parcels?|packages?|items?)\s+(?:is|are|will be|get|gets)\s+(?:usually\s+|normally\s+)?sent|"
    r"(?:will be|are|is|get|gets)\s+(?:usually\s+|normally\s+)?posted(?!\s+(?:on|to)\s+(?:our|the|this)\b)|"
    r"leaves?\s+(?:our\s+)?warehouse|leaves?\s+us|handling(?: time)?|turnaround|prepar(?:e|ed|ing)|"
    r"pack(?:ed|ing)?|go(?:es)? out|(?:lead|production) times?|"
    r"ready to ship|sent out|out the door|fulfil+(?:ed|ment)|"
    # "ready for the courier": handed over next (not "ready for collection", a pickup)
    r"ready for (?:the\s+|our\s+)?(?:courier|carrier|dispatch|despatch|shipping|shipment|posting)|"
    r"(?:(?:hand|pass)(?:s|es|ed)?(?:\s+\w+){0,3}?\s+(?:over\s+|on\s+)?to|lodged\s+with|collected\s+by|"
    r"picked\s+up\s+by)\s+(?:the\s+|our\s+)?"
    # a carrier named by its name ("handed over to Royal Mail", "collected by DPD"): whoever takes the
    # parcel from the shop is its carrier, so any proper name there is one
    r"(?:carrier|courier|post(?:al service)?|post office|shipping partner|(?-i:[A-Z][A-Za-z]+|[A-Z]{2,})))\b",
    re.I,
)
_DELIVERY_CUE = re.compile(
    rf"\b(deliver(?:y|ed|s|ies)?(?!{_MESSAGE_NOUN})|arriv(?:e|es|al|ing)|get it|receive it|transit|"
    rf"shipping(?: time)?(?!{_MESSAGE_NOUN})|"
    r"(?:at|to) your (?:door|doorstep)|reach(?:es)? (?:you|customers?)|be with you|eta|estimated arrival|"
    # "Estimated time frames:" over "New Zealand 1-3 working days": the time to the shopper
    r"estimated\s+time\s*frames?|"
    # "reaches most addresses by the next working day" (a carrier's time the shop relays, README round 6 B)
    r"reach(?:es)?\s+(?:your|the|its|their|most|all)\s+(?:\w+\s+)?"
    r"(?:doors?|doorsteps?|homes?|address(?:es)?|destinations?|locations?)|"
    # the parcel's journey ends with the shopper: "gets to you", "comes to your door", "have your order"
    r"(?:gets?|comes?|makes? it)\s+to\s+(?:you|your\s+(?:door|doorstep|home|address))|"
    r"(?:expect|receive|get|have)\s+(?:your|the|their)\s+(?:order|parcel|package|items?|purchase|delivery|shipment))\b",
    re.I,
)
_TIME_BLOCKERS = re.compile(
    r"\breturns?\b|\brefunds?\b|\bexchange|\bwarrant|\btrial\b|\bopen\b|\bvalid\b|"
    r"\bpayments?\s+process|\bcancell?ation|"
    # the shopper's deadline to report something ("tell us within 10 days of despatch if goods are lost")
    r"\b(?:tell|notify|inform|contact|email|e-mail|message|send)\s+us\b|\blet\s+us\s+know\b|\breport\b|"
    # a failed delivery tried again ("will try again the next day", "re-delivery"): a retry, no promise
    r"\b(?:try|tries|tried|attempt\w*)\s+(?:\w+\s+)?again\b|\bre-?deliver\w*|\bre-?attempt\w*|"
    # when a missing parcel counts as lost ("can't be treated as lost until 15 working days after
    # posting"): the wait before a claim, not the journey's time
    r"\b(?:counts?|counted|treated|considered|deemed|classed|regarded|declared)\s+(?:as\s+)?lost\b|"
    # a claim or query about a lost parcel ("can't process a claim for a lost item until 14 days after
    # the expected date", "won't deal with a query about a lost parcel until 15 working days")
    # a parcel the shopper collects ("can be collected from your local delivery office within 3 days")
    r"\b(?:collect(?:ed|ion)?|picked\s+up)\s+(?:it\s+|them\s+)?(?:from|at)\s+(?:your|the|a|our)\b|"
    # the last leg handed to another carrier ("allow 2-3 days for USPS to make the final delivery")
    r"\bfinal\s+(?:leg|delivery|mile)\b|\blast[- ]mile\b|"
    r"\blost[\s-]+(?:parcels?|items?|packages?|orders?|goods|shipments?|post)\b|\bclaims?\s+(?:for|about|on)\b|"
    # the deadline to claim ("Claims must be made within 20 days of shipment"): the shopper's time
    r"\bclaims?\s+(?:must|should|need|have\s+to|can|may)\b|"
    r"\b(?:file|make|submit|lodge|raise)\s+(?:a|your)\s+claim\b|"
    # a replacement sent after a claim ("if your claim is approved, we ship a new order within 5 days"):
    # a second parcel's time, not the order's journey
    r"\breplacements?\b|\b(?:a|the)\s+new\s+(?:order|parcel|package|shipment)\b|"
    # what a time depends on ("3-10 days, depending on where it goes and the day you order")
    r"\bdepend(?:s|ing)?\s+on\b[^,;]*$",
    re.I,
)
#: "We email a tracking number within 24 hours of shipment": the time a message about the parcel is
#: sent, not the parcel's; the message is the subject before the value.
_TRACKING_SENT = re.compile(
    r"\btracking\s+(?:numbers?|e-?mails?|details|info(?:rmation)?|links?|codes?|references?)\b", re.I
)
#: A range given by its two bounds: "takes at most 5 business days and at least 2".
_UPPER_BOUND_BEFORE = re.compile(r"\b(?:at\s+most|a\s+maximum\s+of|no\s+more\s+than)\s*$", re.I)
_LOWER_BOUND_AFTER = re.compile(
    r"^\s*,?\s*(?:and|with)\s+(?:at\s+least|a\s+minimum\s+of|no\s+fewer\s+than)\s+(?P<n>\d{1,2})\b(?!\s*[%$£€])",
    re.I,
)
#: "Some items ship within 24 hours, others in a couple of days", "some parcels come within 24 hours":
#: what holds for a part of the orders, not the promise for all of them.
_SOME_OF_THEM = re.compile(
    r"\bsome\s+(?:of\s+(?:our|the|your)\s+)?(?:items?|products?|parcels?|packages?|orders?|deliveries|"
    r"shipments?)\b",
    re.I,
)
#: "A Friday order ... should arrive on the next working day": the schedule of one weekday's orders,
#: not the standing promise (as a "Monday: ..." line is not).
_ONE_WEEKDAY_ORDER = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day(?:['’]s)?\s+orders?\b|"
    r"\borders?\s+(?:placed|made|received)\s+on\s+(?:an?\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
    r"(?!\s*(?:to|-|–|through|thru|or|and)\b)",
    re.I,
)
#: What a duration read across a sentence or after it must not be about (beyond the blockers above).
_ASIDE = re.compile(rf"{_TIME_BLOCKERS.pattern}|\btracking\b|\brepl(?:y|ies)\b|\brespon", re.I)
#: "If your order hasn't shipped within 5 days, contact us": when to complain, not the promise.
_UNLESS_LATE = re.compile(
    r"\b(?:if|should)\b[^,.;]*(?:\bnot\b|n['’]t\b)[^,.;]*$|"
    # "If despatch will take more than 24 hours, we'll email you": the case it is late, not the promise
    r"\bif\b[^,.;]*\b(?:more|longer)\s+than\s*$",
    re.I,
)
_CLAUSE_END = re.compile(r"[;,.!?]|\s(?:and|but|while)\s", re.I)
#: A value inside a sentence's leading condition ("If paid next-day delivery arrives in 2-3 days
#: instead, we refund the difference"): the case, not the promise.
#: "to start processing the same day", "begins processing the next business day": when work on an
#: order starts, not when it leaves.
_STARTS_ONLY = re.compile(
    r"\b(?:start|begin)s?(?:\s+to)?\s+(?:process\w*|being\s+processed)\s+(?:on\s+)?(?:the\s+)?$", re.I
)
#: What the law requires ("by law an item only has to be delivered within 30 days"), not the promise.
_BY_LAW = re.compile(
    r"\bby law\b|\blegally\b|\bstatutory\b|\bunder (?:the\s+)?(?:consumer\s+)?(?:law|rights)\b", re.I
)
_LEADING_CONDITION = re.compile(
    r"^\W*(?:(?:if|should|in case)\b[^,;]*|"
    # a leading busy period scopes its whole sentence ("During major sales, please allow 3-7 days")
    r"(?:during|at|in|over|around)\s+(?:the\s+|our\s+)?(?:\w+\s+)?"
    r"(?:busy|busier|peak|sales?|holidays?|christmas|festive|seasonal)\b[^,;]*,[^,;]*|"
    # "At the start of hunting season, orders can take up to 5 days": one season's time
    r"(?:during|at|in|over|around)\s+[^,;]{0,40}\bseason\b[^,;]*,[^,;]*)$",
    re.I,
)
#: 'such as "usually ships in 2 to 3 days"': a quoted example of a label, inside its open quote.
_QUOTED_EXAMPLE = re.compile(r"\b(?:such as|e\.\s?g\.|for example|like)\W{0,3}[\"“][^\"”]*$", re.I)
#: "Sometimes an order ships the same day", "have the best chance of leaving the same day": what happens
#: now and then, or by chance, is no promise (no time, and no cut-off for it).
_HEDGE = re.compile(
    r"\b(?:sometimes|occasionally|at times|on occasion|now and then|"
    # ("will most likely ship the same day" stays a promise: the likely case, not a chance)
    r"(?:best|good|better|a|every|fair)\s+chances?)\b",
    re.I,
)
#: "orders shipped faster than 5-6 business days are guaranteed": a bound compared with, not a time
#: promised ("no longer than 3 days" is a promise: see :func:`_compared_with`).
_COMPARED = re.compile(
    r"\b(?P<neg>no|not|never\s+)?\s*(?:faster|slower|quicker|longer|shorter)\s+than\s*$", re.I
)
#: "within 48 hours at busy times", "during sales this can stretch to 5 days": the peak exception,
#: not the standing promise.
_PEAK = re.compile(
    r"\b(?:at|during|in|over|around)\s+(?:the\s+|our\s+|busy\s+)?(?:major\s+|big\s+)?(?:busy|busier|peak|sales?|holidays?|"
    r"christmas|festive|high[- ]volume|seasonal)\b(?!\s+(?:items?|products?)\b)|"
    # "at the start of hunting season", "during the planting season": one season's time
    r"\b(?:at|during|in|over|around)\s+(?:the\s+)?(?:(?:start|height|end|middle)\s+of\s+(?:the\s+)?)?"
    r"(?:\w+\s+)?season\b",
    re.I,
)
#: "..., though delays can stretch this to 12 days", "..., but an order can take up to two business
#: days": a later value conceded after a promise (a modal after "but/though") is its worst case, not a
#: second promise; "delays can stretch this to" names a delay, as "customs can add 1-4 weeks" does.
_CONCEDED = re.compile(
    r"\b(?:but|though|although|however|yet)\b[^;.]*\b(?:can|may|could|might)\b[^;.]*$|"
    r"\bdelays?\b[^,;.]*$|\b(?:stretch|extend|push|lengthen)\w*\s+(?:\w+\s+){0,2}?(?:out\s+)?to\s*$",
    re.I,
)
#: "an additional 1-3 days", "up to 2 extra days": a delay added to a promise, not the promise.
_EXTRA_TIME = re.compile(
    r"\b(?:additional|extra|further|another|more|adds?|adding)(?:\s+(?:up to|around|about|roughly))?\s*$",
    re.I,
)
#: Items with a lead time of their own ("Pre-order items ship in 4-6 weeks", "personalised items ship
#: within 7 days", "backordered items ..."): not the shop's default dispatch or delivery promise.
_OWN_LEAD_TIME = re.compile(
    r"\b(?:pre-?order\w*|back-?order\w*|custom(?:i[sz]ed)?|personali[sz](?:ed|ation)|engrav\w*|bespoke|"
    r"monogram\w*|\w*made[- ](?:to|on)[- ](?:order|measure|demand)|print(?:ed)?[- ]on[- ]demand|"
    # "special order items need 5 to 14 business days": ordered in from the supplier for the shopper
    r"special[- ]orders?(?:ed)?|"
    # items a supplier ships ("drop-ship items normally ship within 24 hours")
    r"drop[- ]?ship\w*)\b",
    re.I,
)
#: Deliveries with a service of their own, booked with the shopper: two-person/white-glove/pallet
#: delivery, a specialist carrier, "we'll call you to arrange delivery" (furniture, large items).
_OWN_SERVICE = re.compile(
    r"\b(?:two|2)[- ](?:man|person|people)\b|\bwhite[- ]glove\b|\bpallets?\b|\bspecialist carrier|"
    r"\b(?:very\s+)?(?:large|bulky|oversi[sz]ed|heavy)\s+(?:and\s+\w+\s+)?(?:items?|products?|goods|packages|parcels)\b|"
    # goods sent by a freight line ("by freight truck", "freight delivery"): booked like a pallet
    r"\bby\s+freight\b|\bfreight\s+(?:trucks?|carriers?|forwarders?|deliver(?:y|ies))\b|"
    r"\b(?:call|contact|phone|ring|text|e-?mail)\w*\s+(?:you\s+)?to\s+(?:book|arrange|schedule)|"
    r"\bbook(?:s|ed)?\s+(?:in\s+)?(?:the\s+|a\s+|your\s+)?(?:delivery|date|slot|time)|\bbooked in\b",
    re.I,
)
#: "a call 2-3 days before your delivery date": notice given ahead of a date, not a time to it.
_BEFORE_DATE = re.compile(
    r"^\s*(?:before|ahead of|prior to)\s+(?:your|the)\s+(?:\w+\s+)?(?:date|day|slot)\b", re.I
)
#: "2-3 working days from dispatch", "1-2 days after it is despatched": counted from dispatch, so transit.
_FROM_DISPATCH = re.compile(
    r"^\s*(?:from|after|of)\s+"
    r"(?:(?:it|they|your (?:order|parcel)|the parcel)\s+(?:is|are|has been|have been)\s+)?"
    r"(?:dispatch\w*|despatch\w*|shipping|shipment|posting|(?:it|they)\s+ships?)\b",
    re.I,
)
#: "contact us within 48 hours of delivery", "within 2 days of arrival": counted from the end of the
#: journey, so about something after it (a claim, a return), not the journey's time.
_FROM_DELIVERY = re.compile(
    # ("of receipt" is left alone: a dispatch "within 2 days of receipt" counts from the order's receipt)
    r"^\s*(?:of|from|after)\s+(?:the\s+|your\s+)?(?:delivery|arrival|(?:it|they)\s+arriv)",
    re.I,
)
#: "does not get it to you the next day": a negated promise.
#: ("no longer than 4 days" is a bound that promises, not a negation)
_NEGATION = re.compile(r"\b(?:not|never|no longer(?!\s+than))\b|n['’]t\b", re.I)
#: "Orders placed by 2pm ... that day": an order cut-off stands before a "today"/"that day".
_CUTOFF_BEFORE_CLOCK = re.compile(
    r"\b(?:by|before|prior to)\s+(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2}|noon|midday)", re.I
)
_COUNTDOWN = re.compile(
    r"(?:^|[.!?:]\s*|\b(?:just|simply|please)\s+)order\s+(?:with)?in\s+(?:the\s+next\s+)?$", re.I
)
_SUBJECT_BREAK = re.compile(r";|\s(?:but|while|whereas)\s", re.I)
#: A part of a sentence whose subject is the previous part's ("...; we ship it within 5 days").
_PRONOUN_SUBJECT = re.compile(r"\b(?:it|they|them|these|those|each|one)\b", re.I)
#: "won't ship until the next business day", "may not start until the following business day":
#: when a late order starts, not the promise.
_NOT_UNTIL = re.compile(r"\buntil\s+(?:the\s+)?$", re.I)
#: "the following day's roast", "the same day's post": the day of another event, named by its possessive.
_DAY_POSSESSIVE = re.compile(r"^['’]s\b")
#: "If the carrier misses the pickup that day, orders go out the next business day": a next day
#: after a leading condition of a miss, a failure or a late order is the fallback, not the promise.
_FALLBACK_CONDITION = re.compile(
    r"^\W*(?:if|should|when|in case)\b[^,;]*\b(?:miss\w*|fail\w*|late|after|not|unable|delay\w*)\b[^,;]*"
    r"|^\W*(?:if|should|when|in case)\b[^,;]*n['’]t\b[^,;]*",
    re.I,
)
#: "next day delivery", "same-day shipping": a day before a service noun names the service; the noun
#: form is read (or not) by :func:`_noun_durations`, never as the time of a verb before it ("all orders
#: ship on Tuesday for next day delivery", "Priority despatch / next working day delivery").
_SERVICE_NOUN_AFTER = re.compile(
    r"^[\s-]*(?:(?:standard|tracked|ground|express|economy|courier)\s+)?"
    r"(?:dispatch|despatch|shipping|delivery|(?:order\s+)?processing|service|air)\b",
    re.I,
)
#: "by UPS next day", "Royal Mail 48": a time right after a carrier's name is its service's name, as
#: "USPS Priority Mail: 2-3 business days" is (README: a carrier's service is no claim).
_CARRIER_BEFORE = re.compile(
    r"\b(?-i:Royal Mail|Parcelforce|DPD|DHL|UPS|USPS|FedEx|Evri|Hermes|Yodel|GLS|TNT|Purolator|"
    r"Canada Post|Australia Post|An Post|NZ Post|Sendle|Aramex|OnTrac)(?:\s+[A-Z][a-z]+){0,2}\s*$"
)
#: "ships every 12 weeks", "every 4 to 20 weeks": a period of repetition (a subscription's interval),
#: not the time one order takes.
_EVERY_BEFORE = re.compile(r"\b(?:every|each)\s+(?:other\s+)?$", re.I)
#: "production begins that day", "it begins the next day": when work on an order starts, not when it
#: leaves (as "starts processing the same day", :data:`_STARTS_ONLY`).
_BEGINS_BETWEEN = re.compile(r"\b(?:begin|start|commence)s?\b", re.I)
#: "a 3-day, 2-day or overnight service", "1-day and 2-day shipping": durations naming services in a
#: list of options, no promise of any one of them.
_SERVICE_OPTION = (
    r"(?:\d{1,2}[- ](?:business[- ]|working[- ])?(?:day|hour)|overnight|next[- ]day|same[- ]day)"
)
_SERVICE_LIST_AFTER = re.compile(
    rf"^\s*(?:(?:,|\band\b|\bor\b|/)\s*{_SERVICE_OPTION}\s*)+"
    r"(?:services?|shipping|delivery|options?|methods?|upgrades?)\b",
    re.I,
)
_SERVICE_LIST_BEFORE = re.compile(rf"{_SERVICE_OPTION}\s*(?:,|\band\b|\bor\b|/)\s*$", re.I)
#: How far before a duration its cue may stand when no clause break comes between them
#: ("Standard shipping within the continental United States is generally 5-7 business days").
_CUE_REACH = 50
_CLAUSE_CUE_REACH = 90
#: A long clause about a message or a question is about its answer's time, not the parcel's
#: ("Shipping questions sent through our form are answered within 2 business days").
_MESSAGE_TALK = re.compile(
    r"\b(?:answer\w*|questions?|enquir\w*|inquir\w*|contact\w*|messages?|e-?mails?|calls?|tickets?)\b", re.I
)
#: A cue after the duration: "allow 3-5 working days for delivery", "1-2 days to process".
_CUE_AFTER = re.compile(
    r"^[\s,]*(?:(?:after|from|of)\s+(?:you\s+(?:order|pay|purchase)|ordering|purchase|payment|"
    r"(?:placing\s+)?your\s+(?:order|purchase|payment)(?:\s+(?:is|has been)\s+(?:placed|received))?)"
    r"[\s,]+)?"
    # "which takes 1-3 days on average to arrive": a hedge between the value and its cue
    r"(?:(?:on\s+average|usually|typically|normally|generally)[\s,]+)?"
    # "spend 2-4 business days in transit": the journey named after its time
    r"(?:for|to|before|until|in(?=\s+transit\b))\b(?P<rest>[^.;,!?]{0,45})",
    re.I,
)


def _time_value(m: re.Match[str]) -> str:
    if m.group("either"):
        # "same or next business day": at most one day, a span starting at zero
        return "0-1 business days" if re.search("business|work", m.group("either"), re.I) else "0-1 days"
    if m.group("same") or m.group("that"):
        return "same day"
    if m.group("next"):
        return "next business day" if re.search("business|work", m.group("next"), re.I) else "next day"
    unit = m.group("unit").lower()
    unit = "hour" if unit.startswith(("hour", "hr")) or unit == "h" else unit.rstrip("s")
    if unit == "weekday":
        unit = "business day"
    elif m.group("biz"):
        unit = f"business {unit}"
    hi = int(m.group("hi"))
    if m.group("lo"):
        return f"{int(m.group('lo'))}-{hi} {unit}s"
    return f"{hi} {unit}{'' if hi == 1 else 's'}"


#: A duration written before its noun: "same-day dispatch", "2-day shipping", "3-5 working day delivery".
_DURATION_NOUN = re.compile(
    r"\b(?P<n>same|next|(?:(?P<lo>\d{1,2})\s*(?:-|–|—|to)\s*)?\d{1,2})"
    r"[- ](?P<biz>business[- ]|working[- ]|work[- ])?day\s+"
    r"(?:(?:standard|tracked|ground|express|economy|courier)\s+)?"
    r"(?P<noun>dispatch|despatch|shipping|delivery|(?:order\s+)?processing)\b",
    re.I,
)
#: A service noun under a negation in its own clause ("We have no cut-off time for same-day shipping",
#: "we don't offer next-day dispatch"): the service is denied or only talked about, never promised.
_NEGATED_BEFORE = re.compile(r"\b(?:no|not|never)\b[^,;.]{0,40}$|n['’]t\b[^,;.]{0,40}$", re.I)
_NEGATED_AFTER = re.compile(
    r"^[^.;]{0,20}?\b(?:is|are)\s+(?:not|no longer|currently not|temporarily not)\b|^[^.;]{0,20}?"
    r"\b(?:isn['’]t|aren['’]t|unavailable)\b",
    re.I,
)
#: "Orders placed after 2pm ship the next business day", "same day if ordered by 1pm, otherwise the
#: next working day": the rule for late orders, not the promise.
_AFTER_CUTOFF = re.compile(
    r"\bafter\s+(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)?|noon|midnight|"
    r"th(?:is|at|e) (?:time|cut[- ]?off)|cut[- ]?off)\b|"
    # "after our daily cut-off", "after the 2 PM EST cut-off"
    r"\bafter\s+(?:the|our)\s+(?:\S+\s+){1,3}?cut[- ]?off\b|"
    r"\bnot\s+(?:\w+\s+){0,3}?(?:by|before)\s+(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2}|noon|midday)|"
    r"\b(?:later|otherwise|thereafter)\b|"
    # "the same day before a set cut-off time, and the next day after it": the cut-off named before
    r"(?:\bcut[- ]?off\b|\b\d{1,2}(?::\d{2})?\s*(?:am|pm)\b)[^.]*\bafter\s+(?:it|that|this)\b|"
    # orders placed when no one works ("placed at the weekend or on a holiday ... the next business day")
    r"\b(?:placed|received|made)\s+(?:at|on|over|during)\s+(?:the\s+|a\s+)?(?:weekends?|"
    r"(?:public\s+|bank\s+)?holidays?)\b",
    re.I,
)


def _has_time_cue(text: str) -> bool:
    return bool(_DISPATCH_CUE.search(text) or _DELIVERY_CUE.search(text))


#: "after dispatch", "from despatch", "post-dispatch", "once shipped": the point a count starts from.
_COUNT_ORIGIN = re.compile(
    r"\b(?:after|from|since|post|once)[\s-]+(?:(?:it|they)\s+(?:is|are|has|have)\s+)?$", re.I
)


def _time_cues(text: str) -> list[tuple[int, str]]:
    """(end, kind) of the dispatch and delivery cues in ``text``.

    A dispatch cue that is the origin of a count ("Delivery time (after
    dispatch)", "post-dispatch: 1-2 days") names the journey from dispatch on:
    a delivery cue.
    """
    cues = [
        (c.end(), DELIVERY_TIME if _COUNT_ORIGIN.search(text[: c.start()]) else DISPATCH_TIME)
        for c in _DISPATCH_CUE.finditer(text)
    ]
    # "dispatched for delivery within 1-2 days", "shipped out for delivery": the delivery named as the
    # dispatch's purpose is no cue of its own
    return cues + [
        (c.end(), DELIVERY_TIME)
        for c in _DELIVERY_CUE.finditer(text)
        if not _FOR_PURPOSE.search(text[: c.start()])
    ]


_FOR_PURPOSE = re.compile(
    r"\b(?:dispatch|despatch|ship|sen[dt]|post|hand)\w*(?:\s+out)?\s+for\s+(?:home\s+)?$", re.I
)


#: "Same-day delivery requires authority to leave", "... costs $15": the service's terms, not its time.
_SERVICE_TERMS_AFTER = re.compile(
    r"^\s+(?:requires?|needs?|costs?|carries|incurs|is\s+(?:charged|priced)\s+at)\b", re.I
)


def _noun_durations(sentence: str, wanted: str) -> list[tuple[int, int, str]]:
    """(start, end, value) of durations before a service noun that belong to ``wanted``."""
    out: list[tuple[int, int, str]] = []
    for m in _DURATION_NOUN.finditer(sentence):
        n, noun = m.group("n").lower(), m.group("noun").lower()
        if noun.endswith("processing") or noun == "despatch":
            noun = "dispatch"  # "same day order processing" is the time to dispatch
        if _NEGATED_AFTER.match(sentence[m.end() :]) or _NEGATED_BEFORE.search(sentence[: m.start()]):
            continue  # "same-day dispatch is not available", "we have no cut-off time for same-day shipping"
        if _SERVICE_LIST_BEFORE.search(sentence[: m.start()]):
            continue  # "1-day and 2-day shipping are available": services on offer, none promised
        if n == "same" and _SERVICE_TERMS_AFTER.match(sentence[m.end() :]):
            continue  # a "3-5 day delivery" that costs £2.99 still names its time; "same-day" only a service
        if n == "same":
            kind, value = (DELIVERY_TIME if noun == "delivery" else DISPATCH_TIME), "same day"
        elif n == "next":
            if noun != "dispatch":
                continue  # "next-day delivery" names a service tier; its duration is not promised
            kind, value = DISPATCH_TIME, "next day"
        else:
            if noun == "dispatch":
                continue
            hi = int(re.split(r"\D+", n)[-1])
            unit = "business day" if m.group("biz") else "day"
            if m.group("lo"):
                value = f"{int(m.group('lo'))}-{hi} {unit}s"
            else:
                value = f"{hi} {unit}{'' if hi == 1 else 's'}"
            kind = DELIVERY_TIME
        if kind == wanted:
            out.append((m.start(), m.end(), value))
    return out


def _cue_after(rest: str) -> list[tuple[int, str]]:
    """The kind named right after a duration that has no cue before it.

    "Please allow 3-5 working days for delivery", "Orders take 1-2 days to
    process", "it takes 2-4 days for the courier to deliver": the first cue
    of the "for/to ..." phrase decides; a refund or tracking in that phrase
    makes it no dispatch or delivery time at all.
    """
    m = _CUE_AFTER.match(rest)
    if not m or _ASIDE.search(m.group("rest")):
        return []
    # the phrase ends where the next clause or the next value begins ("... and 4-6 days for delivery")
    phrase = re.split(r"[;()\[\]]|\d", m.group("rest"), maxsplit=1)[0]
    # "to receive your shipment after dispatch": dispatch is where the count starts, not the cue
    found = [
        (c.start(), DISPATCH_TIME)
        for c in _DISPATCH_CUE.finditer(phrase)
        if not _COUNT_ORIGIN.search(phrase[: c.start()])
    ]
    found += [(c.start(), DELIVERY_TIME) for c in _DELIVERY_CUE.finditer(phrase)]
    return [(0, min(found)[1])] if found else []


def _compared_with(before: str) -> bool:
    """True for a value after "faster/longer than" that is not negated ("no longer than" promises)."""
    m = _COMPARED.search(before)
    return bool(m and not m.group("neg"))


def _extract_times(sentence: str, wanted: str, region: str = "US") -> list[Claim]:
    """Durations with the nearest dispatch/delivery cue before them.

    A tier listed after another one in the same sentence ("Standard delivery
    takes 3-5 days; Express takes 1-2 days") continues the previous span's
    kind when a clause break separates them and no cue of its own is given.
    """
    claims: list[Claim] = []
    previous_end = value_end = 0
    last_kind: str | None = None
    for m in _TIME_SPAN.finditer(sentence):
        own_part = value_end
        previous_start, value_end = own_part, m.end()
        window = sentence[max(previous_end, m.start() - _CUE_REACH) : m.start()]
        clause_start = _clause_bounds(sentence, m.start(), m.end())[0]
        if not _has_time_cue(window) and clause_start < m.start() - _CUE_REACH:
            # a long subject between the cue and its value, in one clause: read the whole clause
            wide = sentence[max(previous_end, clause_start, m.start() - _CLAUSE_CUE_REACH) : m.start()]
            if not (_ASIDE.search(wide) or _MESSAGE_TALK.search(wide)):
                window = wide
        if not _has_time_cue(window):
            # an aside in brackets stands between the cue and its value ("dispatch all orders received
            # before 1pm (Mon - Fri) within 48 hours"): read past it
            bare = re.sub(r"\([^()]*\)", " ", sentence[previous_end : m.start()])
            if _has_time_cue(bare[-_CUE_REACH:]):
                window = bare[-_CUE_REACH:]
        previous_end = m.end()
        after = _CUE_AFTER.match(sentence[m.end() :])
        if m.group("that") and not _CUTOFF_BEFORE_CLOCK.search(sentence[: m.start()]):
            continue  # "today" or "that day" is a same-day promise only for orders in by a time
        if _DAY_POSSESSIVE.match(sentence[m.end() :]) or _SERVICE_LIST_AFTER.match(sentence[m.end() :]):
            last_kind = None
            continue  # "the following day's roast", "a 3-day, 2-day or overnight service"
        if (
            ((m.group("next") or m.group("same")) and _SERVICE_NOUN_AFTER.match(sentence[m.end() :]))
            or ((m.group("next") or m.group("hi")) and _CARRIER_BEFORE.search(sentence[: m.start()]))
            or _EVERY_BEFORE.search(sentence[: m.start()])
        ):
            last_kind = None
            continue  # "for next day delivery", "by UPS next day", "every 12 weeks": a service or a period
        if (
            m.group("next")
            and (cond := _FALLBACK_CONDITION.match(sentence[: m.start()]))
            and ("," in sentence[cond.end() : m.start()] or cond.end() >= m.start())
        ):
            last_kind = None
            continue  # "If the carrier misses the pickup, orders go out the next business day"
        if _COUNTDOWN.search(sentence[: m.start()]):
            last_kind = None
            continue  # "order within the next 2 hours for delivery tomorrow": a countdown, not a time
        if (
            re.match(
                r"[\s-]*(?:free\s+)?(?:a week|of the week|returns?|refunds?|warranty|trial|guarantee|money|"
                r"(?:service|option|method|rate|product)s?\b|"
                # "outside our 1-2 day ground zone", "a 4 day transit area": a place named by its time
                r"(?:[a-z]+\s+)?(?:zone|area|region)s?\b)",
                sentence[m.end() :],
                re.I,
            )
            or _TIME_BLOCKERS.search(window)
            # "Refunds paid under our dispatch guarantee are made within 5 days": the clause's subject
            or _TIME_BLOCKERS.search(sentence[max(previous_start, clause_start) : m.start()])
            or _UNLESS_LATE.search(window)
            or _LEADING_CONDITION.search(sentence[: m.start()])
            or _BY_LAW.search(sentence[: m.start()])
            or _HEDGE.search(sentence[max(previous_start, clause_start) : m.start()])
            or _TRACKING_SENT.search(sentence[max(previous_start, clause_start) : m.start()])
            or _ONE_WEEKDAY_ORDER.search(sentence[max(previous_start, clause_start) : m.start()])
            or _SOME_OF_THEM.search(sentence[max(previous_start, clause_start) : m.start()])
            or _QUOTED_EXAMPLE.search(sentence[max(0, m.start() - 120) : m.start()])
            or _compared_with(sentence[max(0, m.start() - 40) : m.start()])
            or (wanted == DISPATCH_TIME and _STARTS_ONLY.search(window))
            or (after is not None and _ASIDE.search(after.group("rest")))
            or _PEAK.search(sentence[max(previous_start, clause_start) : m.start()])
            or _PEAK.match(_CLAUSE_END.split(sentence[m.end() :], maxsplit=1)[0].lstrip(" ("))
        ):
            last_kind = None
            continue
        cues = _time_cues(window)
        # what stands between the value and its cue before it ("does not get it to you the next day")
        since_cue = window[max(cues)[0] :] if cues else ""
        if not cues and not _EXTRA_TIME.search(window) and not _ASIDE.search(window):
            # "Tracking can take 2 days to show the parcel as delivered": the subject's time, not the parcel's
            cues = _cue_after(sentence[m.end() :])
            if cues and _NEGATION.search(sentence[clause_start : m.start()]):
                cues = []  # "plants should never spend more than 3 days in transit": a limit, not a time
            if cues and after is not None:
                # "1-2 days for processing and 3-7 days for shipping": "for processing" is this
                # duration's cue, not a cue before the next one
                phrase = after.group(0)
                cut = _CLAUSE_BREAK.search(phrase)
                previous_end = m.end() + (cut.start() if cut else len(phrase))
        cues_own = bool(cues)
        if not cues and last_kind and _CLAUSE_BREAK.search(window):
            cues = [(0, last_kind)]  # "Standard takes 3-5 days; Express 1-2 days": the same kind
        last_kind = max(cues)[1] if cues else None
        if _FROM_DISPATCH.match(sentence[m.end() :]) and not _EXTRA_TIME.search(window):
            last_kind = DELIVERY_TIME  # "allow 2-3 days after dispatch": the time counted from dispatch
        if last_kind != wanted:
            continue
        if _NEGATION.search(since_cue):
            continue  # "does not get an item to you the next day"
        if wanted == DISPATCH_TIME and _BEGINS_BETWEEN.search(since_cue):
            continue  # "If processed by 9 am, production begins that day": work starts, nothing leaves
        if _BEFORE_DATE.match(sentence[m.end() :]):
            continue  # "a call 2-3 days before your delivery date"
        if _FROM_DELIVERY.match(sentence[m.end() :]):
            continue  # "contact us within 48 hours of delivery"
        # the item named anywhere before the value in its part of the sentence ("Pre-orders are shipped
        # when stock arrives, usually within 3 weeks"); a ";" or "but/while" starts another subject
        breaks = [b for b in _SUBJECT_BREAK.finditer(sentence, 0, m.start())]
        lo = breaks[-1].end() if breaks else 0
        if _OWN_LEAD_TIME.search(sentence[lo : m.start()]):
            continue
        if breaks and _PRONOUN_SUBJECT.search(sentence[lo : m.start()]):
            # "Each item is made to order; we aim to have it ready in 5-7 days": "it" is that item
            before = sentence[breaks[-2].end() if len(breaks) > 1 else 0 : breaks[-1].start()]
            if _OWN_LEAD_TIME.search(before):
                continue  # "pre-order items ship in 4-6 weeks": that item's lead time, not the shop's promise
        hi = next((b.start() for b in _SUBJECT_BREAK.finditer(sentence, m.end())), len(sentence))
        if _OWN_SERVICE.search(sentence[lo:hi]):
            continue  # "two-person delivery within 10-14 days, booked in by phone": a service of its own
        if _for_region(sentence, m.start(), m.end(), max(lo, own_part), region):
            continue  # "Orders to Alaska and Hawaii arrive in 7-10 days": a region's time, with no key
        key = qualifier_near(sentence, m.start(), m.end())
        if key and _home_in_clause(sentence, m.start(), m.end(), region):
            key = ""  # "delivery within Germany takes 5-7 days and international 7-8": home is the default
        if key is None:
            continue  # "1-2 days" next to both "standard" and "express": whose is it?
        if key == "" and own_part and _CONCEDED.search(sentence[own_part : m.start()]):
            continue  # "..., but an order can take up to two business days": the worst case conceded
        if key == "" and not cues_own and any(c.key == "" for c in claims):
            # a second default value of the same kind, with no cue of its own: another subject's time,
            # a part of the goods ("..., and products rated 'Good' within 5 business days"; README:
            # times of a part of the orders are no claim)
            continue
        value = _time_value(m)
        if (low := _LOWER_BOUND_AFTER.match(sentence[m.end() :])) and _UPPER_BOUND_BEFORE.search(window):
            # "at most 5 business days and at least 2": the two ends of one range
            if not m.group("lo") and m.group("hi") and int(low.group("n")) < int(m.group("hi")):
                value = _time_value(m).replace(m.group("hi"), f"{int(low.group('n'))}-{m.group('hi')}", 1)
                value = value if value.endswith("s") else value + "s"
        if key in {"next day", "overnight"} and value.startswith("next"):
            continue  # the next-day service delivering the next day: its name, no promise of its own
        if lo == 0 and _CARRIER_LINE.match(sentence):
            continue  # "Royal Mail First Class: delivery within 1-3 days"
        if wanted == DISPATCH_TIME and value.startswith("next") and _AFTER_CUTOFF.search(sentence):
            continue
        if value.startswith("next") and _NOT_UNTIL.search(window):
            continue
        if _NEGATED_AFTER.match(sentence[m.end() :]):
            continue
        claims.append(Claim(kind=wanted, value=value, display=value, sentence=sentence, key=key))
    seen = {c.value for c in claims}
    for start, end, value in _noun_durations(sentence, wanted):
        key = qualifier_near(sentence, start, end)
        if key is None or value in seen:
            continue
        seen.add(value)
        claims.append(Claim(kind=wanted, value=value, display=value, sentence=sentence, key=key))
    return claims


@_normalised
def extract_dispatch_times(sentence: str, region: str = "US") -> list[Claim]:
    """How soon an order leaves the warehouse ("ships within 1–2 business days").

    ``region`` is the shop's country: a time for it is the default one, a time
    for another named place or an outlying area is no claim.
    """
    return _extract_times(sentence, DISPATCH_TIME, region)


@_normalised
def extract_delivery_times(sentence: str, region: str = "US") -> list[Claim]:
    """How long until the parcel arrives ("delivery in 3-5 business days"); ``region`` as for dispatch."""
    return _extract_times(sentence, DELIVERY_TIME, region)


#: "Royal Mail First Class: delivery within 1-3 days": a carrier's service and its own time, not a
#: tier of the shop's (under a label naming the kind, the label's tier reading applies instead).
#: ... or by a carrier's service and its price ("Royal Mail Tracked 48 £4.75 (allow 2-4 days)")
_CARRIER_LINE = re.compile(rf"^\W*{_CARRIER_NAME.pattern}[^:;.]{{0,30}}?(?::|\s[£$€]\s?\d)")
