//! Header words: how a column name is split into tokens, and the words (English, Norwegian,
//! Swedish, Danish, German, Dutch) that name each field.

/// Tokens of a column name: split on case changes (`InvoiceDate`, `CustomerID`), `_`, `-`,
/// spaces and punctuation, lowercased; a trailing unit or currency token (`_eur`, `_nok`,
/// `(kr)`) is dropped.
///
/// ```
/// use segmint::init::words::tokens;
/// assert_eq!(tokens("InvoiceDate"), ["invoice", "date"]);
/// assert_eq!(tokens("CustomerID"), ["customer", "id"]);
/// assert_eq!(tokens("unit_price_eur"), ["unit", "price"]);
/// assert_eq!(tokens("Beløp (kr)"), ["beløp"]);
/// ```
pub fn tokens(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            Some(p) if p.is_alphanumeric() => {
                (p.is_lowercase() && c.is_uppercase())
                    || (p.is_uppercase()
                        && c.is_uppercase()
                        && next.is_some_and(|n| n.is_lowercase()))
                    || (p.is_ascii_digit() != c.is_ascii_digit())
            }
            _ => false,
        };
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    while out.len() > 1 && out.last().is_some_and(|t| UNITS.contains(&t.as_str())) {
        out.pop();
    }
    out
}

/// Unit and currency tokens dropped from the end of a name.
const UNITS: &[&str] = &[
    "eur", "nok", "sek", "dkk", "kr", "usd", "gbp", "chf", "isk", "pln", "euro", "dollar", "inkl",
    "incl", "ekskl", "excl", "mva", "moms", "vat", "btw", "mwst", "brutto", "netto",
];

/// Lowercase letters and digits only: `"Customer ID"`, `"customer_id"` -> `"customerid"`.
pub fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a token means the word `stem`: equal, or (stems of 4 letters or more) the token
/// starts or ends with it, as compounds do (`kundenummer`, `enhetspris`, `ordredato`). A stem
/// written `=word` matches only the whole token (`count` must not mean `country`).
///
/// Letters with diacritics match their plain letter, as exports written without them do
/// (`handelse` for `händelse`, `inkopspris` for `inköpspris`).
pub fn token_means(token: &str, stem: &str) -> bool {
    if let Some(exact) = stem.strip_prefix('=') {
        return fold(token) == fold(exact);
    }
    let (token, stem) = (fold(token), fold(stem));
    token == stem
        || (stem.chars().count() >= 4 && (token.starts_with(&stem) || token.ends_with(&stem)))
}

/// Lowercase Nordic, German and French letters with diacritics as their plain letter
/// (æ as a, the way `hændelse` is written `handelse`).
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ä' | 'å' | 'æ' | 'à' | 'á' | 'â' => 'a',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' => 'o',
            'ü' | 'ú' | 'ù' | 'û' => 'u',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            c => c,
        })
        .collect()
}

/// Whether any token (or the whole name run together) means one of `stems`.
pub fn says(tokens: &[String], stems: &[&str]) -> bool {
    let joined: String = tokens.concat();
    stems
        .iter()
        .any(|s| tokens.iter().any(|t| token_means(t, s)) || token_means(&joined, s))
}

/// Tokens that mark an identifier.
pub const ID: &[&str] = &[
    "id", "nr", "no", "num", "number", "nummer", "key", "code", "ref", "kode", "kod", "nummer",
    "nbr", "pk",
];

/// What a browsing event is, by the words of its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A page or product view.
    View,
    /// An add to cart.
    Cart,
    /// A search.
    Search,
    /// A purchase.
    Purchase,
}

/// The kind an event name says in one of segmint's other languages (`sidvisning`,
/// `lagt_i_varukorg`, `søk`, `kjøp`, `Warenkorb`), checked in the order cart, purchase,
/// search, view; `None` for anything else. English names are left to the defaults of
/// `[events.event_types]` (GA4's `view_promotion` or `remove_from_cart` are not guessed), and
/// a name that says removal, or looking at the cart, is none of them.
///
/// ```
/// use segmint::init::words::{event_kind, EventKind};
/// assert_eq!(event_kind("lagt_i_varukorg"), Some(EventKind::Cart));
/// assert_eq!(event_kind("kop"), Some(EventKind::Purchase));
/// assert_eq!(event_kind("Sökning"), Some(EventKind::Search));
/// assert_eq!(event_kind("sidvisning"), Some(EventKind::View));
/// assert_eq!(event_kind("aus_warenkorb_entfernt"), None);
/// assert_eq!(event_kind("borttagen_fran_varukorg"), None);
/// assert_eq!(event_kind("visa_varukorg"), None);
/// assert_eq!(event_kind("winkelwagen_bekeken"), None);
/// assert_eq!(event_kind("view_promotion"), None);
/// ```
pub fn event_kind(name: &str) -> Option<EventKind> {
    const CART: &[&str] = &[
        "varukorg",
        "korg",
        "handlekurv",
        "kurv",
        "indkøbskurv",
        "warenkorb",
        "winkelwagen",
        "mandje",
        "handlevogn",
    ];
    const PURCHASE: &[&str] = &[
        "=köp",
        "=kjøp",
        "=køb",
        "=koep",
        "=kjoep",
        "=koeb",
        "=kauf",
        "=kjøpt",
        "=köpt",
        "=købt",
        "gekauft",
        "aankoop",
        "gekocht",
        "=bestilling",
        "=bestelling",
        "=beställning",
    ];
    const SEARCH: &[&str] = &[
        "sökning", "=søk", "=sök", "søgning", "=søg", "suche", "zoek",
    ];
    const VIEW: &[&str] = &[
        "visning",
        "=vis",
        "ansicht",
        "aufruf",
        "bekeken",
        "bekijk",
        "sidvisning",
        "sidevisning",
    ];
    const REMOVAL: &[&str] = &[
        "remove",
        "fjern",
        "=bort",
        "borttag",
        "entfern",
        "lösch",
        "loesch",
        "verwijder",
        "delete",
        "slett",
        "=slet",
        "radera",
        "tog",
        "=tom",
        "tömd",
        "tømt",
        "=leer",
        "geleegd",
        "empty",
    ];
    // Looking at the cart ("visa_varukorg", "warenkorb_ansicht") is no add to cart.
    const LOOK: &[&str] = &[
        "=visa", "visad", "=vis", "=vist", "ansicht", "anzeigen", "bekeken", "bekijk",
    ];
    let t = tokens(name);
    if says(&t, REMOVAL) || (says(&t, CART) && says(&t, LOOK)) {
        return None;
    }
    [
        (CART, EventKind::Cart),
        (PURCHASE, EventKind::Purchase),
        (SEARCH, EventKind::Search),
        (VIEW, EventKind::View),
    ]
    .into_iter()
    .find(|(stems, _)| says(&t, stems))
    .map(|(_, kind)| kind)
}

#[rustfmt::skip]
/// Stems of each concept, in every language segmint knows.
pub mod stems {
    /// The customer.
    pub const CUSTOMER: &[&str] = &[
        "customer", "cust", "client", "user", "member", "account", "household", "buyer",
        "shopper", "consumer", "kunde", "kund", "klant", "kunden", "medlem", "lid", "hushold",
        "hushåll", "husstand", "contact", "kontakt", "person",
    ];
    /// An order, invoice, basket, receipt.
    pub const ORDER: &[&str] = &[
        "order", "ordre", "bestilling", "beställning", "bestallning", "bestel", "auftrag",
        "invoice", "faktura", "rechnung", "factuur", "receipt", "kvittering", "kvitto", "bon",
        "basket", "transaction", "trans", "purchase", "kjøp", "köp", "køb", "kauf", "aankoop",
        "beleg", "ticket", "bonnummer", "bonnr", "kassabon",
    ];
    /// Date or time.
    pub const DATE: &[&str] = &[
        "date", "dato", "datum", "time", "tid", "tidspunkt", "tidpunkt", "timestamp", "zeit",
        "tijd", "created", "placed", "day", "dag", "tag", "when", "ts", "datetime", "at",
        "registered", "since", "joined", "opprettet", "oprettet", "skapad", "erstellt",
    ];
    /// A quantity.
    pub const QUANTITY: &[&str] = &[
        "quantity", "qty", "units", "antall", "antal", "anzahl", "menge", "aantal", "mengde",
        "mængde", "maengde", "stk", "styck", "stück", "stuck", "stueck", "stuks", "pcs", "pieces", "=count",
        "numberofcds", "=items",
    ];
    /// A price per unit.
    pub const PRICE: &[&str] = &[
        "price", "pris", "preis", "prijs", "each", "=rate",
    ];
    /// Words that make a price a unit price.
    pub const UNIT: &[&str] = &["unit", "enhet", "enhed", "stk", "styck", "stück", "each", "per", "einzel"];
    /// A money amount (of a line, usually).
    pub const AMOUNT: &[&str] = &[
        "total", "amount", "value", "sales", "revenue", "beløp", "belop", "belopp", "beløb",
        "betrag", "bedrag", "sum", "summa", "omsetning", "omsättning", "omsætning", "umsatz",
        "omzet", "turnover", "spend", "paid", "net", "gross", "linjesum", "radsumma", "totalt",
        "totaal", "gesamt",
    ];
    /// A product or article.
    pub const PRODUCT: &[&str] = &[
        "product", "produkt", "item", "sku", "stockcode", "article", "artikel", "artikkel",
        "vare", "vara", "ean", "gtin", "upc", "variant", "artikl", "produit",
    ];
    /// A category or department.
    pub const CATEGORY: &[&str] = &[
        "category", "kategori", "kategorie", "categorie", "department", "dept", "avdeling",
        "afdeling", "avdelning", "abteilung", "varegruppe", "varugrupp", "gruppe", "grupp",
        "group", "groep", "commodity", "segment", "class", "klasse", "type", "typ",
    ];
    /// A sub-category.
    pub const SUBCATEGORY: &[&str] = &["sub", "subcategory", "underkategori", "unterkategorie", "subcommodity"];
    /// A brand or vendor.
    pub const BRAND: &[&str] = &[
        "brand", "merke", "märke", "mærke", "marke", "merk", "vendor", "manufacturer",
        "hersteller", "fabrikant", "leverandør", "leverantör", "lieferant", "supplier",
        "produsent", "producent", "label",
    ];
    /// A cost.
    pub const COST: &[&str] = &[
        "cost", "kost", "kostnad", "kosten", "kostpris", "cogs", "einkauf", "inkoop",
        "innkjøp", "inköp", "indkøb", "selbstkosten", "innpris", "inpris", "einstandspreis",
        "innkjoep", "inkoep", "indkoeb",
    ];
    /// A margin.
    pub const MARGIN: &[&str] = &[
        "margin", "marge", "avanse", "dekningsgrad", "marginal", "db", "bruttomargin",
    ];
    /// A discount.
    pub const DISCOUNT: &[&str] = &[
        "discount", "disc", "rabatt", "rabat", "korting", "nachlass", "coupon", "kupong",
        "voucher", "markdown", "promo",
    ];
    /// A percentage (`discount_pct`, `Rabattsats`, `Rabatt i prosent`).
    pub const PERCENT: &[&str] = &[
        "pct", "percent", "percentage", "prosent", "procent", "prozent", "sats", "rate",
    ];
    /// A sales channel.
    pub const CHANNEL: &[&str] = &["channel", "kanal", "kanaal", "source", "vertriebsweg", "store_type"];
    /// Returns and refunds.
    pub const RETURN: &[&str] = &[
        "return", "retur", "refund", "refusjon", "retoure", "rückgabe", "rueckgabe", "retourne", "terugbetaling",
        "återbetal", "tilbagebetal", "erstattung", "credit", "kreditering", "reklamasjon",
    ];
    /// Handling.
    pub const HANDLING: &[&str] = &["handling", "shipping", "freight", "frakt", "fragt", "versand", "verzending", "håndtering", "hantering", "fee", "gebyr", "avgift"];
    /// A browsing event.
    pub const EVENT: &[&str] = &[
        "event", "hendelse", "händelse", "hændelse", "haendelse", "ereignis", "gebeurtenis", "action",
        "activity", "aktivitet", "hit",
    ];
    /// Names and types (for event names).
    pub const KIND: &[&str] = &["name", "type", "typ", "navn", "namn", "kind", "art", "soort"];
    /// A session or visit.
    pub const SESSION: &[&str] = &["session", "sesjon", "sitzung", "sessie", "visit", "besøk", "besök", "besuch", "bezoek"];
    /// Time spent.
    pub const DWELL: &[&str] = &[
        "dwell", "engagement", "duration", "seconds", "sec", "msec", "varighet", "varaktighet",
        "dauer", "duur", "timeonpage", "seconds_on_page", "visningstid", "oppholdstid",
        "vistelsetid", "opholdstid", "verweildauer", "verblijftijd", "sidetid",
    ];
    /// Age.
    pub const AGE: &[&str] = &["age", "alder", "ålder", "alter", "leeftijd"];
    /// Birth.
    pub const BIRTH: &[&str] = &["birth", "born", "født", "född", "fodt", "foedt", "fødsels", "födelse", "fodsels", "foedsels", "geburt", "geboren", "geboorte", "byear"];
    /// Gender.
    pub const GENDER: &[&str] = &["gender", "sex", "kjønn", "kjonn", "kön", "kon", "køn", "geschlecht", "geslacht"];
    /// Country.
    pub const COUNTRY: &[&str] = &["country", "land", "landskod", "landkode", "nation"];
    /// Region.
    pub const REGION: &[&str] = &["region", "state", "province", "county", "fylke", "län", "landsdel", "kommune", "kommun", "bundesland", "provincie", "city", "stad", "stadt", "ort", "town"];
    /// Postcode.
    pub const POSTCODE: &[&str] = &["postcode", "postal", "zip", "postnummer", "postnr", "postkode", "plz", "postleitzahl", "postcod"];
    /// Sign-up.
    pub const SIGNUP: &[&str] = &["signup", "signed", "registered", "registration", "registrert", "registrerad", "registreret", "registrier", "joined", "since", "member_since", "created", "opprettet", "oprettet", "skapad", "erstellt", "aangemaakt", "first"];
    /// E-mail.
    pub const EMAIL: &[&str] = &["email", "mail", "epost", "mejl", "emailadresse"];
    /// Phone.
    pub const PHONE: &[&str] = &["phone", "mobile", "mobil", "telefon", "tlf", "tel", "cell", "handy", "telefoon"];
    /// First name.
    pub const FIRST: &[&str] = &["firstname", "givenname", "fornavn", "förnamn", "fornamn", "vorname", "voornaam"];
    /// Last name.
    pub const LAST: &[&str] = &["lastname", "surname", "familyname", "etternavn", "efternamn", "efternavn", "nachname", "achternaam"];
    /// A survey question.
    pub const QUESTION: &[&str] = &["question", "spørsmål", "sporsmal", "fråga", "fraga", "spørgsmål", "frage", "vraag"];
    /// A survey answer.
    pub const ANSWER: &[&str] = &["answer", "response", "score", "rating", "svar", "antwort", "antwoord"];
    /// File names of order lines.
    pub const TX_FILES: &[&str] = &["order", "ordre", "transaction", "sales", "purchase", "invoice", "salg", "kjøp", "köp", "försäljning", "retail", "cdnow", "basket", "bestilling", "faktura", "verkauf", "verkoop", "line"];
    /// File names of events.
    pub const EV_FILES: &[&str] = &["event", "session", "clickstream", "pageview", "analytics", "ga4", "hendelse", "händelse", "hændelse", "web", "tracking"];
    /// File names of surveys.
    pub const SV_FILES: &[&str] = &["survey", "questionnaire", "response", "undersøkelse", "undersökning", "undersøgelse", "enkät", "spørreskjema", "umfrage", "enquete", "nps"];
    /// File names of customer profiles.
    pub const CU_FILES: &[&str] = &["customer", "user", "member", "profile", "kunde", "kund", "medlem", "crm", "demographic", "household", "klant", "contact"];
    /// File names of products.
    pub const PR_FILES: &[&str] = &["product", "produkt", "item", "article", "artikel", "artikkel", "vare", "catalog", "katalog", "sku", "assortment", "sortiment"];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_names_every_way() {
        assert_eq!(tokens("household_id"), ["household", "id"]);
        assert_eq!(tokens("BASKET_ID"), ["basket", "id"]);
        assert_eq!(tokens("Lineitem quantity"), ["lineitem", "quantity"]);
        assert_eq!(tokens("ga_session_id"), ["ga", "session", "id"]);
        assert_eq!(tokens("Beløp_NOK"), ["beløp"]);
        assert_eq!(tokens("sales-value"), ["sales", "value"]);
        assert_eq!(tokens("Order #"), ["order"]);
        assert_eq!(tokens("eur"), ["eur"], "a lone unit is kept");
        assert_eq!(tokens("Price2"), ["price", "2"]);
        assert_eq!(norm("Fødsels_år"), "fødselsår");
    }

    #[test]
    fn compounds_mean_their_parts() {
        assert!(says(&tokens("kundenummer"), stems::CUSTOMER));
        assert!(says(&tokens("Kundnr"), stems::CUSTOMER));
        assert!(says(&tokens("ordredato"), stems::DATE));
        assert!(says(&tokens("enhetspris"), stems::PRICE));
        assert!(says(&tokens("Beställning"), stems::ORDER));
        assert!(says(&tokens("Aantal"), stems::QUANTITY));
        assert!(says(&tokens("Bestellnummer"), stems::ORDER));
        assert!(says(&tokens("Bestelnummer"), stems::ORDER));
        assert!(says(&tokens("Betrag"), stems::AMOUNT));
        // Written without their diacritics (a hostile test shop's Swedish headers).
        assert!(says(&tokens("handelse"), stems::EVENT));
        assert!(says(&tokens("inkopspris"), stems::COST));
        assert!(says(&tokens("Fodelsear"), stems::BIRTH));
        assert!(says(&tokens("visningstid_ms"), stems::DWELL));
        assert!(says(&tokens("bonnummer"), stems::ORDER));
        // ASCII exports write æ, ø, ü as ae, oe, ue.
        assert!(says(&tokens("haendelse"), stems::EVENT));
        assert!(says(&tokens("Indkoebspris"), stems::COST));
        assert!(says(&tokens("Rueckgabe_Menge"), stems::RETURN));
        assert_eq!(event_kind("koeb"), Some(EventKind::Purchase));
        assert!(!says(&tokens("country"), stems::CUSTOMER));
        assert!(
            !says(&tokens("discount"), stems::CUSTOMER),
            "cust is short: no prefix match"
        );
    }
}
