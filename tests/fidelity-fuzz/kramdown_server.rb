#!/usr/bin/env ruby
# frozen_string_literal: true
#
# kramdown_server.rb - the reference side of `make fidelity-fuzz`: ONE Ruby process that renders
# many documents with Debian's kramdown 2.4 + kramdown-parser-gfm, with the options Jekyll 4.3
# gives kramdown. The option mirroring and the `{{ site.url }}` substitution are not copied: they
# are ../shared/tools/kramdown_render.rb's own (KramdownRender::Renderer, engine "kramdown",
# Jekyll's defaults; KramdownRender.apply_liquid), loaded from the path given as ARGV[0].
#
# Protocol: one JSON object a line on stdin, {"id": ..., "text": BODY, "site": {"url": ...}};
# one a line on stdout, {"id": ..., "html": HTML} or {"id": ..., "error": MESSAGE}.
#   ruby kramdown_server.rb ../shared/tools/kramdown_render.rb [--engine kramdown|jekyll|both]
require "json"
require "timeout"

tool = ARGV.shift or abort "usage: kramdown_server.rb PATH/kramdown_render.rb [--engine E]"
require File.expand_path(tool)
engine = ARGV[0] == "--engine" ? ARGV[1] : "kramdown"
renderer = KramdownRender::Renderer.new(engine: engine, site_kramdown: false)

$stdout.sync = true
$stdin.each_line do |line|
  req = JSON.parse(line)
  res = { "id" => req["id"] }
  begin
    site = req["site"] || {}
    body, = KramdownRender.apply_liquid(req["text"], site)
    out = Timeout.timeout(10) { renderer.convert(body, site) }
    res["html"] = out[:html]
    res["mismatch"] = true if out[:mismatch]
  rescue StandardError, ScriptError, SystemStackError => e
    res["error"] = "#{e.class}: #{e.message.lines.first&.strip}"
  end
  $stdout.write(JSON.generate(res), "\n")
end
