"""Word lists the recognisers use: health conditions and treatments, relationships, first names, towns."""
from __future__ import annotations

# Conditions and treatments which, tied to an identifiable person, are special category health data.
CONDITION_TERMS = (
    "cancer", "cancers", "tumour", "tumor", "brain tumour", "leukaemia", "leukemia", "lymphoma", "melanoma",
    "chemo", "chemotherapy", "radiotherapy", "mastectomy", "hysterectomy", "colostomy", "stoma",
    "dementia", "alzheimer's", "alzheimers", "alzheimer", "stroke", "strokes", "mini stroke", "tia",
    "diabetes", "diabetic", "insulin", "dialysis", "kidney failure", "renal failure", "liver failure",
    "cirrhosis", "transplant", "hiv", "hiv positive", "hepatitis", "hep c", "sti", "chlamydia", "syphilis",
    "depression", "depressed", "clinically depressed", "sectioned", "psychosis", "psychotic", "schizophrenia",
    "schizophrenic", "bipolar", "ptsd", "ocd", "anorexia", "bulimia", "eating disorder", "breakdown",
    "nervous breakdown", "overdose", "overdosed", "suicide attempt", "attempted suicide", "self harm",
    "self-harm", "self harming", "self-harming", "antidepressants", "methadone", "detox",
    "miscarriage", "miscarried", "stillbirth", "stillborn", "abortion", "termination", "ivf", "ectopic",
    "epilepsy", "epileptic", "seizures", "seizure", "parkinson's", "parkinsons", "parkinson",
    "multiple sclerosis", "motor neurone disease", "mnd", "heart attack", "heart failure", "angina",
    "bypass", "pacemaker", "copd", "emphysema", "sepsis", "pneumonia", "tuberculosis", "long covid",
    "broken hip", "fractured hip", "hip fracture", "amputation", "amputated", "paralysed", "terminal",
    "terminally ill", "palliative", "end of life care", "end of life", "dying", "bowel cancer",
    "breast cancer", "prostate cancer", "lung cancer", "motor neuron disease", "aneurysm", "blood clot",
    "dvt", "crohn's", "crohns", "colitis", "ms", "heart attacks", "tumours", "cystic fibrosis", "sickle cell",
    "autism", "autistic", "adhd", "learning disability", "learning disabilities", "cerebral palsy",
    "down syndrome", "down's syndrome", "fibromyalgia", "lupus", "sclerosis", "meningitis", "cancerous",
)

# Words after a condition term which make it a service, a job or a campaign rather than someone's illness.
NOT_A_CONDITION_AFTER = (
    "research", "awareness", "charity", "charities", "screening", "appeal", "fundraiser", "fundraising",
    "walk", "run", "café", "cafe", "friendly", "services", "service", "support group", "campaign",
    "month", "week", "day", "nurses", "specialists", "society", "uk", "trust", "shop",
)

# Words shortly before a condition term which describe someone's job, not their health.
OCCUPATION_BEFORE = ("works", "working", "worked", "job", "nurse on", "nurse in", "nurse at", "is a", "volunteers",
                     "volunteer")

RELATIONS = (
    "mum", "mam", "mom", "mother", "mummy", "dad", "father", "daddy", "husband", "hubby", "wife", "partner",
    "son", "daughter", "brother", "sister", "nan", "nana", "nanna", "gran", "granny", "grandma", "grandmother",
    "grandad", "granddad", "grandpa", "grandfather", "aunt", "auntie", "aunty", "uncle", "cousin", "niece",
    "nephew", "neighbour", "neighbor", "friend", "best friend", "mate", "best mate", "colleague", "boss",
    "fiance", "fiancé", "fiancee", "fiancée", "boyfriend", "girlfriend", "stepdad", "stepmum", "step dad",
    "step mum", "father in law", "mother in law", "father-in-law", "mother-in-law", "son in law",
    "daughter in law", "son-in-law", "daughter-in-law", "brother in law", "sister in law", "brother-in-law",
    "sister-in-law", "baby", "little boy", "little girl", "kid", "child", "grandson", "granddaughter",
    "twin", "lad", "eldest", "youngest", "other half", "sister's husband", "ex", "flatmate", "landlady",
    "landlord", "lodger", "pal",
)

# Adjectives that may stand between "my" and the relation: "my 84 year old dad", "my poor mum".
RELATION_ADJECTIVES = (
    "poor", "elderly", "old", "late", "little", "disabled", "frail", "lovely", "dear", "darling", "beautiful",
    "wonderful", "vulnerable", "bedbound", "bed bound", "housebound", "autistic", "younger", "older", "twin",
    "big", "baby", "eldest", "youngest", "middle", "step", "half", "teenage", "adult", "grown up", "only", "new",
)

TITLES = ("mr", "mrs", "ms", "miss", "mx", "mister")

# Described rather than named, but identifiable to anyone on the ward or in the street.
DESCRIBED_PEOPLE = ("man", "woman", "lady", "gentleman", "gent", "bloke", "chap", "girl", "boy", "lad", "patient",
                    "old man", "old lady", "old boy", "old gentleman", "elderly man", "elderly lady", "elderly woman",
                    "family", "couple", "fella", "fellow")

FIRST_NAMES = (
    "aaron", "abdul", "abigail", "adam", "adrian", "ahmed", "aisha", "alan", "albert", "alex", "alice", "alison",
    "amanda", "amy", "andrew", "angela", "ann", "anne", "anthony", "arthur", "barbara", "barry", "ben", "beryl",
    "beth", "betty", "bill", "billy", "bob", "brenda", "brian", "carl", "carol", "caroline", "catherine",
    "charlotte", "chloe", "chris", "christine", "claire", "colin", "craig", "daniel", "darren", "dave", "david",
    "dawn", "dean", "debbie", "deborah", "denise", "dennis", "derek", "diane", "donna", "doreen", "dorothy",
    "edna", "edward", "eileen", "elaine", "eleanor", "elizabeth", "ellie", "emily", "emma", "eric", "ethel",
    "fatima", "frank", "gareth", "gary", "gemma", "geoff", "george", "gillian", "gloria", "gordon", "graham",
    "hannah", "harry", "hazel", "heather", "helen", "ian", "irene", "jack", "jackie", "james", "jane", "janet",
    "jason", "jean", "jennifer", "jenny", "jessica", "jim", "joan", "joanne", "john", "jon", "joseph", "josh",
    "joyce", "julie", "june", "karen", "kate", "kathleen", "keith", "kelly", "ken", "kevin", "kim", "lauren",
    "lee", "leslie", "linda", "lisa", "liz", "lorraine", "louise", "lucy", "lynn", "malcolm", "margaret", "maria",
    "mark", "martin", "mary", "matthew", "maureen", "michael", "michelle", "mick", "mike", "mohammed", "muhammad",
    "nathan", "neil", "nicola", "nigel", "norman", "olivia", "pam", "pamela", "patricia", "paul", "pauline",
    "peter", "phil", "philip", "priya", "rachel", "raj", "ray", "rebecca", "richard", "rita", "rob", "robert",
    "ron", "ronald", "rose", "ruth", "ryan", "sally", "sam", "samantha", "sandra", "sarah", "scott", "sharon",
    "sheila", "shirley", "simon", "sophie", "stephen", "steve", "steven", "stuart", "sue", "susan", "terry",
    "thomas", "tom", "tony", "tracey", "tracy", "trevor", "valerie", "vera", "vicky", "wayne", "wendy", "william",
    "yvonne", "zoe", "gurdeep", "harjit", "sunita", "anil", "deepak", "nadia", "yusuf", "bogdan", "agnieszka",
)

# Places named after an address ("14 Elm Tree Avenue, Belper"): Derbyshire by default, more in configuration.
TOWNS = (
    "derby", "chesterfield", "matlock", "buxton", "belper", "ilkeston", "long eaton", "swadlincote", "glossop",
    "ashbourne", "bakewell", "ripley", "alfreton", "heanor", "dronfield", "bolsover", "staveley", "clay cross",
    "shirebrook", "wirksworth", "new mills", "chapel-en-le-frith", "chapel en le frith", "mickleover",
    "allestree", "littleover", "spondon", "alvaston", "chaddesden", "normanton", "sinfin", "darley abbey",
    "duffield", "melbourne", "hilton", "etwall", "whaley bridge", "hadfield", "killamarsh", "eckington",
    "codnor", "langley mill", "sandiacre", "borrowash", "castle donington", "burton", "burton upon trent",
    "mansfield", "nottingham", "sheffield", "stoke", "leicester", "crich", "holmewood", "tibshelf",
    "clowne", "creswell", "hathersage", "tideswell", "darley dale", "brimington", "whittington", "holymoorside",
    "stanley", "kilburn", "denby", "somercotes", "riddings", "south normanton", "pinxton", "kirk hallam",
)

STREET_TYPES = (
    "road", "rd", "street", "st", "avenue", "ave", "lane", "ln", "close", "cl", "drive", "dr", "way",
    "crescent", "cres", "court", "ct", "gardens", "gdns", "grove", "gr", "place", "pl", "terrace", "tce",
    "hill", "view", "walk", "rise", "row", "mews", "square", "sq", "green", "vale", "fields", "croft",
    "meadow", "meadows", "parade", "park", "boulevard", "chase", "gate", "wharf", "yard", "brow", "bank",
    "nook", "end", "side", "hollow", "dale",
)

# Words that are never part of a street name; "waited 3 hours down the road" is no address.
NOT_STREET_WORDS = (
    "the", "a", "an", "of", "and", "or", "to", "in", "on", "at", "up", "down", "for", "from", "by", "my", "our",
    "your", "his", "her", "their", "this", "that", "hours", "hour", "hrs", "mins", "minutes", "days", "day",
    "weeks", "week", "months", "years", "times", "people", "miles", "mile", "yards", "metres", "doors", "houses",
    "cars", "buses", "more", "other", "whole", "just", "only", "about", "over", "under", "were", "was", "are",
    "is", "be", "been", "it", "we", "they", "you", "i", "me", "us", "them", "all", "some", "any", "no", "not",
    "floors", "flights", "steps", "storey", "beds", "wards", "weeks'", "quid", "pounds", "pence", "stone",
)

# Personal insults aimed at a named member of staff; criticism of their work ("unhelpful", "late") is not.
HOSTILE_TERMS = (
    "idiot", "idiots", "moron", "stupid", "thick", "useless", "pathetic", "clueless", "incompetent", "liar",
    "lying", "disgrace", "disgusting", "vile", "scum", "cow", "bitch", "witch", "slag", "tart", "pig", "fat",
    "ugly", "waste of space", "waste of oxygen", "joke", "jobsworth", "parasite", "nasty", "snake", "fraud",
    "drunk", "drunken", "loser", "dimwit", "halfwit", "muppet", "plonker", "knob", "prat", "twat", "dick",
    "shut up", "get sacked", "should be sacked", "needs sacking", "sack her", "sack him", "hope she", "hope he",
    "watch your back", "know where", "know where you live", "know where she lives", "know where he lives",
)

# Details of a person's private life that should not be published about a colleague or volunteer.
REVEALING_TERMS = (
    "lives at", "lives on", "lives in", "home address", "her address", "his address", "where she lives",
    "where he lives", "her number", "his number", "her mobile", "his mobile", "divorce", "divorced", "affair",
    "pregnant", "off sick", "signed off", "on the sick", "rehab", "arrested", "court case", "criminal record",
    "her kids", "his kids", "her children", "his children", "her husband", "his wife", "her partner",
    "his partner", "benefits", "debt", "bankrupt", "gay", "lesbian", "trans", "religion",
)
