//! `cargo run -p postdesk-kramdown --example kd -- [--tree] < post.md`: the HTML (or, with
//! `--tree`, the element tree as `tools/dump-tree.rb` prints kramdown's) of markdown on stdin.

use std::io::Read;

fn main() {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).expect("stdin");
    let doc = postdesk_kramdown::parse(&text, &postdesk_kramdown::Options::default());
    for warning in &doc.warnings {
        eprintln!("warning: {warning}");
    }
    if std::env::args().any(|a| a == "--tree") {
        print!("{}", doc.root.dump());
    } else {
        print!(
            "{}",
            postdesk_kramdown::to_html(&doc, &postdesk_kramdown::Hooks::default())
        );
    }
}
