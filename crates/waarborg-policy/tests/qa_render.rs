#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Rendering the reviewer's three registers (tests/fixtures/qa_*.toml): every Art. 13 item in
//! both languages, no template artefacts, values escaped as text in Markdown and HTML, and a
//! CSV register that parses.

use std::path::PathBuf;

use waarborg_policy::render::{Format, What, render};
use waarborg_policy::{Lang, Policy, from_toml_str};

fn fixture_text(name: &str) -> String {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/{name}.toml"));
    std::fs::read_to_string(path).unwrap()
}

fn fixture(name: &str) -> Policy {
    from_toml_str(&fixture_text(name), name).unwrap()
}

fn statement(p: &Policy, lang: Lang, format: Format) -> String {
    render(p, What::Statement, lang, format, None).unwrap()
}

const FIXTURES: &[&str] = &["qa_clinic", "qa_saas", "qa_club"];

#[test]
fn statements_have_no_template_artefacts() {
    for name in FIXTURES {
        let p = fixture(name);
        for lang in [Lang::Nl, Lang::En] {
            let md = statement(&p, lang, Format::Markdown);
            assert!(
                !md.contains("\n\n\n"),
                "{name} {lang:?}: a gap of blank lines\n{md}"
            );
            for line in md.lines() {
                assert_eq!(line, line.trim_end(), "{name}: trailing space in `{line}`");
                assert!(!line.starts_with(" "), "{name}: leading space in `{line}`");
                assert!(!line.contains("  "), "{name}: double space in `{line}`");
                assert!(line.trim() != "-", "{name}: empty bullet");
                assert!(!line.contains(",."), "{name}: stray comma in `{line}`");
                assert!(!line.contains(".;"), "{name}: `.;` in `{line}`");
                for junk in ["None", "null", "undefined", "{{", "{%", "[]"] {
                    assert!(!line.contains(junk), "{name}: `{junk}` in `{line}`");
                }
            }
        }
    }
}

#[test]
fn statements_carry_every_art_13_item() {
    // (a) controller and contact, (b) DPO, (c) purposes and bases, (d) legitimate interest,
    // (e) recipients, (f) transfers and mechanism; 13(2): retention, rights, withdrawal,
    // complaint, statutory or contractual requirement, automated decisions.
    let en = |name: &str| statement(&fixture(name), Lang::En, Format::Markdown);
    let nl = |name: &str| statement(&fixture(name), Lang::Nl, Format::Markdown);
    let clinic = nl("qa_clinic");
    for needle in [
        "Stichting Kliniek Lindenhof bepaalt waarom en hoe uw gegevens worden gebruikt",
        "privacy@kliniek-lindenhof.example",
        "functionaris gegevensbescherming (FG)",
        "fg@kliniek-lindenhof.example",
        "Grondslag: de overeenkomst met u",
        "Wet die hierbij hoort: Burgerlijk Wetboek boek 7",
        "Wie krijgt ze: Leverancier elektronisch",
        "Hoe lang: Wij bewaren ze 20 jaar na het einde van de overeenkomst",
        "De wet verplicht u deze gegevens te geven.",
        "**Toestemming intrekken.**",
        "U kunt uw toestemming altijd intrekken, via e-mail (onderzoek@kliniek-lindenhof.example)",
        "klacht indienen bij de Autoriteit Persoonsgegevens",
        "Een computer neemt geen besluiten over u zonder dat een mens meekijkt",
        "binnen 1 maand antwoord",
        "## Burgerservicenummer (BSN)\n\nHet BSN mogen wij alleen gebruiken als een wet dat voorschrijft (art. 46 UAVG):",
        "- Burgerservicenummer (BSN). Behandeling en medisch dossier: op grond van Burgerlijk Wetboek boek 7",
        "## Strafrechtelijke gegevens\n",
        "- Verklaring omtrent het gedrag (VOG). Screening van nieuwe medewerkers: op grond van Wet kwaliteit",
        "- Bijzondere gegevens: wij gebruiken ze voor zorg en behandeling",
        "(art. 9 lid 2 sub h AVG)",
    ] {
        assert!(
            clinic.contains(needle),
            "clinic NL lacks `{needle}`\n{clinic}"
        );
    }
    assert!(!clinic.contains("Burgerservicenummer (BSN): burgerservicenummer"));
    let saas = en("qa_saas");
    for needle in [
        "Ledgerly B.V. (also known as Ledgerly) decides why and how",
        "You can ask questions about privacy to Privacy team",
        "Our interest: We and our payment provider",
        "HelpDesk Inc. (the United States): the recipient takes part in the EU-US Data Privacy Framework",
        "Scan Bangalore Pvt Ltd (India): we have made the standard agreements of the European Commission. You can find a copy here: https://ledgerly.example/legal/scc",
        "Insightful Analytics Ltd (the United Kingdom): the European Commission has decided",
        "**Withdrawing consent.**",
        "**No automated decision.**",
        "How it works: The score looks at",
        "You can ask for a member of staff to review the decision.",
        "complain to the Autoriteit Persoonsgegevens",
        "The contract requires you to give these data.",
        "We have agreed on security and confidentiality with our processors",
        "from others or from public sources:\ninvoices our customers send to their clients.",
    ] {
        assert!(saas.contains(needle), "SaaS EN lacks `{needle}`\n{saas}");
    }
    let club = en("qa_club");
    assert!(club.contains("in force from 1 August 2026"));
    assert!(
        club.contains("Are you younger than 16? Then we ask your parent or guardian for consent.")
    );
    // The club has no processors: no sentence about processor agreements.
    assert!(!club.contains("with our processors"), "{club}");
    let club_nl = nl("qa_club");
    assert!(club_nl.contains(
        "Bent u jonger dan 16 jaar? Dan vragen wij de toestemming aan uw ouder of voogd."
    ));
}

#[test]
fn explicit_consent_for_special_data_names_the_right_to_withdraw() {
    // Research on a public task, with explicit consent (Art. 9(2)(a)) for the health data, and
    // the register's `offered` list without the right: the statement still names it.
    let text = fixture_text("qa_clinic")
        .replacen(
            "legal_basis = \"consent\"\nart9_exception = \"explicit_consent\"",
            "legal_basis = \"public_task\"\nlegal_ground = \"Wet op het wetenschappelijk onderzoek\"\nart9_exception = \"explicit_consent\"",
            1,
        )
        .replacen("\"objection\", \"withdraw_consent\", \"complaint\"]", "\"objection\", \"complaint\"]", 1);
    let p = from_toml_str(&text, "clinic.toml").unwrap();
    // The register no longer offers the right (WB013, an error): a final rendering is refused,
    // a draft still names the right.
    assert!(matches!(
        render(&p, What::Statement, Lang::En, Format::Markdown, None),
        Err(waarborg_policy::render::RenderError::Refused { .. })
    ));
    let md = waarborg_policy::render::render_with(
        &p,
        What::Statement,
        Lang::En,
        Format::Markdown,
        &waarborg_policy::render::Options {
            draft: true,
            templates: None,
        },
    )
    .unwrap();
    assert!(md.contains("**Withdrawing consent.**"), "{md}");
    assert!(
        md.contains("You can withdraw your consent at any time, through e-mail"),
        "{md}"
    );
}

#[test]
fn values_are_text_not_markup() {
    let text = fixture_text("qa_club")
        .replacen(
            "name = \"Voetbalvereniging De Zwaluwen\"",
            "name = \"VV <script>alert(1)</script> & Co\"",
            1,
        )
        .replacen(
            "label = { nl = \"Naam\", en = \"Name\" }",
            "label = { nl = \"Naam [klik](javascript:alert(2)) *vet* `code`\", en = \"Name ![x](http://evil.example/x.png)\" }",
            1,
        )
        .replacen(
            "name = { nl = \"Onze bank\", en = \"Our bank\" }",
            "name = { nl = \"Onze bank\\n# Kop\\n- lijst\", en = \"Our bank\\n# Heading\" }",
            1,
        )
        .replacen(
            "description = { nl = \"Alleen het bestuur kan bij de ledenadministratie.\"",
            "description = { nl = \"# Kop in een opsomming\"",
            1,
        );
    let p = from_toml_str(&text, "club.toml").unwrap();
    for lang in [Lang::Nl, Lang::En] {
        let html = statement(&p, lang, Format::Html);
        for bad in [
            "<script",
            "javascript:alert(2)\"",
            "href=\"javascript",
            "href=\"http://evil",
            "<img",
            "<em>",
            "<code>",
            "<h1>Kop",
            "<h1>Heading",
            "<h1>Kop in",
        ] {
            assert!(!html.contains(bad), "{lang:?}: `{bad}` in\n{html}");
        }
        assert!(
            html.contains("VV &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"),
            "{html}"
        );
        let md = statement(&p, lang, Format::Markdown);
        assert!(
            !md.contains("\n# Kop") && !md.contains("\n# Heading"),
            "{md}"
        );
        assert!(
            !md.contains("](javascript") || md.contains("\\](javascript"),
            "{md}"
        );
        assert!(
            !md.contains("<script>") || md.contains("\\<script>"),
            "{md}"
        );
    }
    // The register's CSV keeps the value as it is (quoted where needed).
    let csv = render(&p, What::Register, Lang::Nl, Format::Csv, None).unwrap();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert!(rows[0][0].starts_with("VV <script>"));
}

#[test]
fn register_csv_parses_and_names_transfers() {
    let csv = render(
        &fixture("qa_saas"),
        What::Register,
        Lang::En,
        Format::Csv,
        None,
    )
    .unwrap();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let header = rdr.headers().unwrap().clone();
    assert_eq!(header.len(), 9);
    assert_eq!(&header[7], "transfers_outside_eea");
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    for r in &rows {
        assert_eq!(r.len(), 9);
        assert!(!r[8].contains(".;"), "{r:?}");
        assert!(r[3].contains("(Art. 6(1)("), "{r:?}");
    }
    assert!(
        rows[0][7].contains("HelpDesk Inc. (the United States): the recipient takes part in the EU-US Data Privacy Framework"),
        "{:?}",
        rows[0]
    );
    assert!(
        rows[1][8].contains("Then we delete them. The law (Algemene wet inzake rijksbelastingen, art. 52) requires us"),
        "{:?}",
        rows[1]
    );
}

#[test]
fn register_csv_defuses_formulas() {
    let text = fixture_text("qa_club").replacen(
        "name = \"Voetbalvereniging De Zwaluwen\"",
        "name = \"=HYPERLINK(\\\"http://evil.example\\\",\\\"klik\\\")\"",
        1,
    );
    assert_ne!(text, fixture_text("qa_club"), "the fixture changed");
    let p = from_toml_str(&text, "club.toml").unwrap();
    for what in [What::Register, What::Cookies] {
        let csv = render(&p, what, Lang::Nl, Format::Csv, None).unwrap();
        let mut rdr = csv::Reader::from_reader(csv.as_bytes());
        for r in rdr.records().map(Result::unwrap) {
            for cell in r.iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@']),
                    "{what:?}: a cell a spreadsheet would run: {cell}"
                );
            }
        }
    }
    let csv = render(&p, What::Register, Lang::Nl, Format::Csv, None).unwrap();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let first = rdr.records().next().unwrap().unwrap();
    assert!(first[0].starts_with("'=HYPERLINK("), "{first:?}");
}
