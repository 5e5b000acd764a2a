//! Spec descriptions (untrusted text) as the lines of doc comments.
//!
//! A description becomes one `#[doc = " ..."]` attribute per line, which the formatter prints
//! as `/// ...`. Whatever the description holds, the result must compile and must never become a
//! doctest that rustdoc compiles or runs:
//!
//! - Code blocks. rustdoc reads Markdown (pulldown-cmark) and tests every fenced block (three or
//!   more backticks or tildes, whatever the info string) and every indented block (four spaces
//!   or a tab), at the top level or after block quote, list, task or footnote markers. Lines are
//!   trimmed, so no top-level block is indented. A top-level fence becomes a fence of ours:
//!   backticks long enough that no line inside can close it, marked `text`, closed at the end
//!   if the description leaves it open, after a blank line (so that no HTML block or table can
//!   swallow it), its lines kept as written. After those markers, a fence is escaped (`\```)
//!   and a gap wide enough to start an indented block shrinks to one space. When there is a
//!   fence of ours, a line starting with `<` is escaped too, so that no HTML block (an HTML
//!   comment, `<pre>`, ...) can hide our opening fence and expose the lines after it.
//! - Characters. rustc rejects a lone CR in a doc comment, and bidirectional overrides and
//!   isolates (U+202A..U+202E, U+2066..U+2069) through the deny-by-default lint
//!   `text_direction_codepoint_in_literal` (in doc comments and literals alike): removed, as are
//!   the other control characters but tab (NUL, escape, C1, ...). CR LF, a lone CR, NEL and
//!   U+2028 break the line; U+2029 breaks the paragraph; vertical tab and form feed become
//!   spaces.
//!
//! Runs of blank lines collapse to one. Text with none of the above comes out as before: each
//! line trimmed, prefixed with a space.

use proc_macro2::TokenStream;
use quote::quote;

/// The lines of the doc comment for `text`, each to become one `#[doc = ...]` attribute: a space
/// and the line, or empty for a blank line.
pub(super) fn doc_lines(text: &str) -> Vec<String> {
    let text = clean(text);
    let blocks = blocks(text.trim());
    let fenced = blocks.iter().any(|b| matches!(b, Block::Fence(_)));
    let mut out: Vec<String> = Vec::new();
    for block in blocks {
        match block {
            Block::Line(line) => out.push(outside_line(line, fenced)),
            Block::Fence(content) => {
                if out.last().is_some_and(|l| !l.is_empty()) {
                    out.push(String::new());
                }
                let longest = content
                    .iter()
                    .map(|l| longest_run(l, '`'))
                    .max()
                    .unwrap_or(0);
                let fence = "`".repeat(longest.max(2) + 1);
                out.push(format!(" {fence}text"));
                for line in content {
                    let line = line.trim_end();
                    out.push(if line.is_empty() {
                        String::new()
                    } else {
                        format!(" {line}")
                    });
                }
                out.push(format!(" {fence}"));
            }
        }
    }
    out.dedup_by(|a, b| a.is_empty() && b.is_empty());
    out
}

/// `text` with every character dealt with that would break the build or mislead a reader.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\u{85}' | '\u{2028}' => out.push('\n'),
            '\u{2029}' => out.push_str("\n\n"),
            '\u{B}' | '\u{C}' => out.push(' '),
            '\t' | '\n' => out.push(c),
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

enum Block<'a> {
    /// A line outside code blocks, trimmed.
    Line(&'a str),
    /// The lines of a top-level fenced block, as written but for the fence's own indentation.
    Fence(Vec<&'a str>),
}

fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    let mut lines = text.lines();
    while let Some(raw) = lines.next() {
        let line = raw.trim();
        let Some((mark, len)) = opening_fence(line) else {
            blocks.push(Block::Line(line));
            continue;
        };
        // The content loses as much indentation as the fence had, as in CommonMark.
        let indent = raw.len() - raw.trim_start_matches([' ', '\t']).len();
        let mut content = Vec::new();
        for raw in lines.by_ref() {
            let trimmed = raw.trim();
            if trimmed.len() >= len && trimmed.chars().all(|c| c == mark) {
                break;
            }
            let own = raw.len() - raw.trim_start_matches([' ', '\t']).len();
            content.push(&raw[own.min(indent)..]);
        }
        blocks.push(Block::Fence(content));
    }
    blocks
}

/// The character and length of the fence `line` (trimmed) opens, if it opens one.
fn opening_fence(line: &str) -> Option<(char, usize)> {
    let mark = line.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let len = line.len() - line.trim_start_matches(mark).len();
    // A backtick fence's info string has no backtick (else the line is inline code).
    let opens = len >= 3 && !(mark == '`' && line[len..].contains('`'));
    opens.then_some((mark, len))
}

/// The longest run of `c` in `line`.
fn longest_run(line: &str, c: char) -> usize {
    line.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

/// A trimmed line outside code blocks, defused and prefixed with a space.
fn outside_line(line: &str, fenced: bool) -> String {
    if line.is_empty() {
        return String::new();
    }
    let mut line = in_containers(line);
    if fenced && line.starts_with('<') {
        line.insert(0, '\\');
    }
    format!(" {line}")
}

/// `line` with no code block inside its block quote and list markers: a fence after them is
/// escaped, and a gap after one wide enough to start an indented block becomes one space.
fn in_containers(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    let mut inside = false;
    while let Some((marker, after)) = container_marker(rest) {
        inside = true;
        out.push_str(marker);
        let content = after.trim_start_matches([' ', '\t']);
        let gap = &after[..after.len() - content.len()];
        // Five columns after `>` or a list marker start an indented block (tab stops of 4).
        let start = out.chars().count();
        let end = gap.chars().fold(start, |col, c| match c {
            '\t' => col + 4 - col % 4,
            _ => col + 1,
        });
        if end - start >= 5 {
            out.push(' ');
        } else {
            out.push_str(gap);
        }
        rest = content;
    }
    if inside && (rest.starts_with("```") || rest.starts_with("~~~")) {
        out.push('\\');
    }
    out.push_str(rest);
    out
}

/// A marker at the start of `s` after which a code block may start, and what follows it: a
/// block quote's `>`, a list item's `-`, `+`, `*`, `1.` or `1)`, a task's `[ ]` or `[x]`, a
/// footnote definition's `[^label]:`, and a definition list's `:` (not enabled in rustdoc
/// today).
fn container_marker(s: &str) -> Option<(&str, &str)> {
    let ends_marker = |rest: &str| rest.is_empty() || rest.starts_with([' ', '\t']);
    if s.starts_with('>') {
        return Some(s.split_at(1));
    }
    if s.starts_with(':') && ends_marker(&s[1..]) {
        return Some(s.split_at(1));
    }
    if ["[ ]", "[x]", "[X]"].iter().any(|task| s.starts_with(task)) && ends_marker(&s[3..]) {
        return Some(s.split_at(3));
    }
    if let Some(label) = s.strip_prefix("[^") {
        let end = label.find(']')?;
        if end > 0 && label[end + 1..].starts_with(':') {
            return Some(s.split_at(2 + end + 2));
        }
    }
    if s.starts_with(['-', '+', '*']) && ends_marker(&s[1..]) {
        return Some(s.split_at(1));
    }
    let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = &s[digits..];
    if (1..=9).contains(&digits) && rest.starts_with(['.', ')']) && ends_marker(&rest[1..]) {
        return Some(s.split_at(digits + 1));
    }
    None
}

/// The first sentence of a description's first paragraph, for one-line setter docs.
pub(super) fn first_sentence(doc: Option<&str>) -> String {
    let paragraph: Vec<&str> = doc
        .unwrap_or("")
        .trim()
        .lines()
        .map(str::trim)
        .take_while(|l| !l.is_empty())
        .collect();
    let paragraph = paragraph.join(" ");
    match paragraph.find(". ") {
        Some(end) => paragraph[..=end].to_owned(),
        None => paragraph,
    }
}

/// Doc comment lines for several sections, each sanitised on its own and separated by a
/// blank line: a description that leaves a code block open cannot pull the generator's
/// own notes after it into the block.
pub(super) fn doc_sections<S: AsRef<str>>(sections: &[S]) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for (i, section) in sections.iter().enumerate() {
        // The first section is the item's summary: one sentence, the rest below it.
        let section = if i == 0 {
            doc_lines(&one_sentence_summary(section.as_ref()))
        } else {
            doc_lines(section.as_ref())
        };
        if section.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(section);
    }
    quote!(#(#[doc = #lines])*)
}

/// `text` with its first paragraph cut after the first sentence, the rest a paragraph of
/// its own: rustdoc shows the first paragraph as the item's summary. A sentence ends at
/// `.`, `!` or `?` followed by a space and a capital, a backquote or a bracket, outside
/// backquotes and not after a common abbreviation.
pub(super) fn one_sentence_summary(text: &str) -> String {
    let text = text.trim();
    let first_end = text.find("\n\n").unwrap_or(text.len());
    let first = &text[..first_end];
    if first.starts_with(['`', '~', '-', '*', '>', '|', '#', '<']) {
        return text.to_owned();
    }
    let bytes = first.as_bytes();
    let mut in_code = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'`' => in_code = !in_code,
            b'.' | b'!' | b'?' if !in_code => {
                let after = &first[i + 1..];
                let starts_sentence = after.starts_with([' ', '\n'])
                    && after
                        .trim_start()
                        .starts_with(|c: char| c.is_uppercase() || c == '`' || c == '[');
                let before = first[..i].rsplit([' ', '\n']).next().unwrap_or("");
                let abbreviation = matches!(before, "e.g" | "i.e" | "etc" | "vs" | "cf" | "approx");
                if starts_sentence && !abbreviation {
                    return format!(
                        "{}\n\n{}{}",
                        &first[..=i],
                        after.trim_start(),
                        &text[first_end..]
                    );
                }
            }
            _ => {}
        }
    }
    text.to_owned()
}

pub(super) fn doc_outer(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

/// The module doc of a generated file, and the lints it is exempt from: descriptions are
/// Markdown as the spec's authors wrote it (a list item continued on an unindented line, a
/// tab), which clippy's doc style lints would flag in every file generated from such a
/// spec; and the typestate builders' types are as long as a schema's required list.
pub(super) fn doc_inner(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! {
        #(#![doc = #lines])*
        #![allow(
            clippy::doc_lazy_continuation,
            clippy::doc_overindented_list_items,
            clippy::tabs_in_doc_comments,
            clippy::doc_nested_refdefs,
            // The typestate builders' types grow with the number of required fields.
            clippy::type_complexity
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The implementation this module replaces (emit.rs), for text without fences.
    fn before(text: &str) -> Vec<String> {
        let mut in_fence = false;
        let mut lines: Vec<String> = text
            .trim()
            .lines()
            .map(|line| {
                let line = line.trim();
                if line.starts_with("```") {
                    in_fence = !in_fence;
                    if in_fence {
                        return " ```text".to_owned();
                    }
                }
                if line.is_empty() {
                    String::new()
                } else {
                    format!(" {line}")
                }
            })
            .collect();
        lines.dedup_by(|a, b| a.is_empty() && b.is_empty());
        lines
    }

    #[test]
    fn ordinary_text_comes_out_as_before() {
        let texts = [
            "A message.",
            "  Leading and trailing space.  \n",
            "First paragraph.\nSecond line.\n\n\n\nAfter three blank lines.",
            "Windows\r\nline ends\r\n\r\n\r\nhere.\r\n",
            "A list:\n- one\n- two\n  continued\n\n1. first\n2) second\n* star\n+ plus",
            "> A quote\n>\n> more\n>> nested\n>  two spaces",
            "Indented lines\n    are trimmed\n\tand tabs too",
            "Inline `code`, ``more``, **bold**, [a link](https://example.com) and <b>html</b>.",
            "<p>An HTML paragraph</p>\n<!-- a comment -->",
            "Tabs\tinside\tlines stay.",
            "- [ ] task\n- [x] done\n[^1]: a note\n: a definition",
            "Numbers like 1.5 and -3, *emphasis*, a rule\n---\n* * *\n1234567890. ten digits",
            "Ends with */ and opens /* and // too",
            "",
            "   \n\n  ",
        ];
        for text in texts {
            assert_eq!(doc_lines(text), before(text), "{text:?}");
        }
    }

    #[test]
    fn every_fence_becomes_a_text_fence() {
        for mark in ["```", "~~~"] {
            for info in [
                "",
                "rust",
                "ignore",
                "should_panic",
                "compile_fail",
                "edition2021",
                "no_run",
                "rust,ignore",
                "unknown",
                " rust ",
            ] {
                let text = format!("{mark}{info}\npanic!();\n{mark}");
                assert_eq!(
                    doc_lines(&text),
                    [" ```text", " panic!();", " ```"],
                    "{text:?}"
                );
            }
        }
        // A blank line before it; the lines inside keep their indentation.
        assert_eq!(
            doc_lines("Before:\n```rust\nfn main() {\n    panic!();\n}\n```\nAfter."),
            [
                " Before:",
                "",
                " ```text",
                " fn main() {",
                "     panic!();",
                " }",
                " ```",
                " After."
            ]
        );
        // The fence's own indentation comes off the lines inside.
        assert_eq!(
            doc_lines("Intro\n  ```\n    two more\n  x\n```"),
            [" Intro", "", " ```text", "   two more", " x", " ```"]
        );
    }

    #[test]
    fn no_line_inside_can_close_the_fence() {
        // A tilde fence around backtick fences.
        assert_eq!(
            doc_lines("~~~~\n```rust\npanic!();\n```\n~~~~"),
            [" ````text", " ```rust", " panic!();", " ```", " ````"]
        );
        // Backticks anywhere inside make it longer.
        assert_eq!(
            doc_lines("```\na ````` b\n```"),
            [" ``````text", " a ````` b", " ``````"]
        );
        // Only the same character, at least as many, closes it.
        assert_eq!(
            doc_lines("```\ncode\n~~~\n``\n```"),
            [" ```text", " code", " ~~~", " ``", " ```"]
        );
        assert_eq!(doc_lines("````\n```\n````"), [" ````text", " ```", " ````"]);
        assert_eq!(
            doc_lines("~~~\n```rust\n~~~"),
            [" ````text", " ```rust", " ````"]
        );
    }

    #[test]
    fn an_unclosed_fence_is_closed_at_the_end() {
        assert_eq!(
            doc_lines("```rust\npanic!();\n\n\n"),
            [" ```text", " panic!();", " ```"]
        );
        assert_eq!(doc_lines("Text\n~~~"), [" Text", "", " ```text", " ```"]);
    }

    #[test]
    fn inline_code_with_three_backticks_is_no_fence() {
        // CommonMark: a backtick fence's info string has no backtick.
        assert_eq!(doc_lines("```a``` is inline"), [" ```a``` is inline"]);
    }

    #[test]
    fn code_blocks_after_container_markers_are_defused() {
        assert_eq!(
            doc_lines("> ```rust\n> panic!();\n> ```"),
            [" > \\```rust", " > panic!();", " > \\```"]
        );
        assert_eq!(
            doc_lines("- ```\n  x\n  ```"),
            [" - \\```", " x", "", " ```text", " ```"]
        );
        assert_eq!(doc_lines("> > ~~~"), [" > > \\~~~"]);
        assert_eq!(doc_lines("- [ ] ```rust"), [" - [ ] \\```rust"]);
        assert_eq!(doc_lines("[^1]: ```rust"), [" [^1]: \\```rust"]);
        assert_eq!(doc_lines(">    ```"), [" >    \\```"]);
        // Five columns after a marker would start an indented block.
        assert_eq!(doc_lines(">     panic!();"), [" > panic!();"]);
        assert_eq!(doc_lines("1.      panic!();"), [" 1. panic!();"]);
        assert_eq!(doc_lines("- [x]      panic!();"), [" - [x] panic!();"]);
        assert_eq!(doc_lines("[^n]:     panic!();"), [" [^n]: panic!();"]);
        assert_eq!(doc_lines(">\t\tpanic!();"), [" > panic!();"]);
        assert_eq!(doc_lines(">    four"), [" >    four"]);
    }

    #[test]
    fn html_cannot_hide_a_fence() {
        // In CommonMark, an HTML comment runs to its `-->`, past blank lines; the opening
        // fence inside it would be no fence, and `    x` after it an indented block.
        assert_eq!(
            doc_lines("<!--\n```\n-->\n    x\n```"),
            [" \\<!--", "", " ```text", " -->", "     x", " ```"]
        );
        // Without a fence, `<` stays: all lines are trimmed anyway.
        assert_eq!(doc_lines("<!--\n    x"), [" <!--", " x"]);
    }

    #[test]
    fn characters_that_break_the_build_or_mislead_go() {
        assert_eq!(doc_lines("a\rb"), [" a", " b"]);
        assert_eq!(doc_lines("a\r\nb"), [" a", " b"]);
        assert_eq!(
            doc_lines(
                "a\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}b\u{2066}\u{2067}\u{2068}\u{2069}c"
            ),
            [" abc"]
        );
        assert_eq!(
            doc_lines("a\0b\u{1B}[1mc\u{7F}d\u{9B}e\u{1}"),
            [" ab[1mcde"]
        );
        assert_eq!(
            doc_lines("one\u{2028}two\u{2029}three\u{85}four"),
            [" one", " two", "", " three", " four"]
        );
        assert_eq!(doc_lines("a\u{B}b\u{C}c"), [" a b c"]);
        assert_eq!(doc_lines("tab\there"), [" tab\there"]);
        // Inside fences too.
        assert_eq!(
            doc_lines("```\nx\u{202E}y\rz\0\n```"),
            [" ```text", " xy", " z", " ```"]
        );
        // Right-to-left text and its marks stay.
        assert_eq!(doc_lines("שלום \u{200F}x"), [" שלום \u{200F}x"]);
    }

    #[test]
    fn blank_runs_collapse() {
        assert_eq!(doc_lines("\n\na\n\n \n\t\nb\n\n"), [" a", "", " b"]);
        assert_eq!(
            doc_lines("```\na\n\n\n\nb\n```"),
            [" ```text", " a", "", " b", " ```"]
        );
    }

    /// Hostile descriptions: every way to a doctest that rustdoc knows, and characters that
    /// rustc rejects.
    const HOSTILE: &[&str] = &[
        "```rust\npanic!(\"rust fence\");\n```",
        "```\npanic!(\"bare fence\");\n```",
        "```should_panic\nnot rust at all\n```",
        "```compile_fail\nfn fine() {}\n```",
        "```ignore\npanic!(\"ignored\");\n```",
        "```edition2021\npanic!(\"edition\");\n```",
        "```no_run\nfn main() {}\n```",
        "```unknownword\npanic!(\"unknown\");\n```",
        "~~~\npanic!(\"tilde\");\n~~~",
        "~~~~rust\n```\npanic!(\"inner\");\n```\n~~~~",
        "Text\n\n    panic!(\"indented\");\n\n\tpanic!(\"tab\");",
        "> ```\n> panic!(\"quote\");\n> ```",
        "- ```rust\n  panic!(\"list\");\n  ```",
        "Text\n\n>     panic!(\"quote indented\");",
        "Text\n\n1.      panic!(\"ordered indented\");",
        "- [ ] ```rust\n  panic!(\"task\");\n  ```",
        "[^1]: ```rust\n    panic!(\"footnote\");\n    ```",
        "<!--\n```\n-->\n    panic!(\"after a comment\");\n```",
        "<div>\n```\n\n    panic!(\"after a div\");\n```",
        "| a |\n|---|\n```\n\n    panic!(\"after a table\");\n```",
        "bidi \u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069} end",
        "lone\rCR, NUL\0, escape\u{1B}[31m, DEL\u{7F}, C1\u{85}\u{9B}",
        "line\u{2028}separator\u{2029}paragraph\u{B}vt\u{C}ff",
        "```\nbidi\u{202E} cr\r nul\0\n```",
        "/ starts with a slash, ends */ and opens /*",
        "```rust\npanic!(\"unclosed\");",
    ];

    /// The whole way: tokens as emit builds them, the formatter, rustc, and rustdoc's doctest
    /// collection, on a throwaway crate whose one real doctest is a canary.
    #[test]
    fn hostile_descriptions_compile_and_make_no_doctest() {
        use quote::{format_ident, quote};

        let all = HOSTILE.join("\n");
        let inner = doc_lines(&all);
        let mut tokens = quote!(#(#![doc = #inner])*);
        for (i, text) in HOSTILE.iter().enumerate() {
            let lines = doc_lines(text);
            let name = format_ident!("item_{i}");
            tokens.extend(quote!(#(#[doc = #lines])* pub fn #name() {}));
        }
        let lines = doc_lines(&all);
        tokens.extend(quote!(#(#[doc = #lines])* pub fn all() {}));
        let canary = [" ```", " assert_eq!(1 + 1, 2);", " ```"];
        tokens.extend(quote!(#(#[doc = #canary])* pub fn canary() {}));
        let file: syn::File = syn::parse2(tokens).expect("the tokens parse");
        let source = crate::fmt::file(&file).expect("the formatter covers doc comments");
        assert!(source.contains("/// ```text") && source.contains("//! ```text"));

        let dir = std::env::temp_dir().join(format!("codegen-doc-lines-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("Cargo.toml"),
            "[package]\nname = \"doc_lines_probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
             publish = false\n\n[lib]\npath = \"lib.rs\"\n\n[workspace]\n",
        )
        .unwrap();
        std::fs::write(dir.join("lib.rs"), &source).unwrap();
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = std::process::Command::new(cargo)
            .args(["test", "--doc", "--offline"])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .output()
            .expect("cargo runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let _ = std::fs::remove_dir_all(&dir);
        assert!(
            output.status.success(),
            "cargo test --doc failed:\n{stdout}\n{stderr}\n--- lib.rs ---\n{source}"
        );
        // The canary and nothing else.
        assert!(
            stdout.contains("test result: ok. 1 passed; 0 failed; 0 ignored"),
            "{stdout}\n--- lib.rs ---\n{source}"
        );
    }
}
