//! `cargo xtask drift`: how our spec differs from Telnyx's published one, in both its
//! forms, as a reviewer sees it. A difference the allow-list (`spec/drift-allow.txt`)
//! covers is marked `=`, any other `!`; a change to either spec shows up here.

fn report(upstream: &str) -> String {
    let root = xtask::workspace_root();
    xtask::drift(&root, &root.join(upstream))
        .unwrap_or_else(|error| panic!("{error}"))
        .render(xtask::DRIFT_ALLOW_LIST)
}

#[test]
fn drift_from_the_upstream_3_1_spec() {
    insta::assert_snapshot!(report(xtask::UPSTREAM_SPEC_31));
}

#[test]
fn drift_from_the_upstream_3_0_spec() {
    insta::assert_snapshot!(report(xtask::UPSTREAM_SPEC));
}

#[test]
fn every_allow_list_entry_matches_a_difference() {
    let root = xtask::workspace_root();
    let reports = [xtask::UPSTREAM_SPEC, xtask::UPSTREAM_SPEC_31]
        .map(|upstream| xtask::drift(&root, &root.join(upstream)).expect("drift"));
    // An entry is stale only if it matches nothing against either form.
    let stale: Vec<&String> = reports[0]
        .unused
        .iter()
        .filter(|entry| reports[1].unused.contains(entry))
        .collect();
    assert!(
        stale.is_empty(),
        "allow-list entries that match nothing: {stale:?}"
    );
}
