// `iovet explain`: the text trace and the self-contained HTML page, the latter rendered in a
// real browser (Debian's chromium, headless): the seed's boundary case shows the crossing
// segment highlighted in the op that violates sg.boundary.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "tests/cli/run_iovet.h"

namespace {

const std::string kBoundaryCase = std::string(IOVET_SOURCE_DIR) + "/corpus/seed-v5/seed-v5-dma.sg-sg.boundary.json";

// What headless Chromium holds after loading the page (its scripts run), or FAIL.
std::string browser_dom(const std::string& html_path, const std::string& screenshot) {
  if (std::system("command -v chromium >/dev/null 2>&1") != 0)
    FAIL("chromium is not installed (scripts/deps --test installs it)");
  const std::string flags = "--headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1000,1100 ";
  const std::string dom = html_path + ".dom";
  const std::string url = "file://" + html_path;
  REQUIRE(std::system(("chromium " + flags + "--dump-dom " + url + " >" + dom + " 2>/dev/null").c_str()) == 0);
  REQUIRE(std::system(("chromium " + flags + "--screenshot=" + screenshot + " " + url + " >/dev/null 2>&1").c_str()) == 0);
  return slurp(dom);
}

}  // namespace

TEST_CASE("explain: the text trace draws the crossing segment against its windows", "[cli][explain]") {
  const IovetRun r = run_iovet("explain " + kBoundaryCase);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("segment 1: [0x1ffffb000, 0x1ffffcfff] length 0x2000  CROSSES the boundary at 0x1ffffc000") !=
        std::string::npos);
  CHECK(r.out.find("|........................########||########........................|") != std::string::npos);
  CHECK(r.out.find("iova allocated: [0x1ffff8000, 0x1ffffcfff] (5 granules)") != std::string::npos);
}

TEST_CASE("explain --format html: self-contained, the crossing segment highlighted in a real browser", "[cli][explain]") {
  const IovetRun r = run_iovet("explain " + kBoundaryCase + " --format html");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // Nothing is fetched: no external script, style, image or font.
  CHECK(r.out.find("src=") == std::string::npos);
  CHECK(r.out.find("<link") == std::string::npos);
  CHECK(r.out.find("url(") == std::string::npos);
  // Same case, same bytes.
  CHECK(run_iovet("explain " + kBoundaryCase + " --format html").out == r.out);

  const std::string html = write_temp_file("boundary.html", r.out);
  const std::string shot = std::filesystem::path(html).replace_extension("png").string();
  const std::string dom = browser_dom(html, shot);
  INFO("screenshot: " << shot);
  // The page's script ran in the browser and found the violating op.
  CHECK(dom.find("data-first-violation=\"op-0\"") != std::string::npos);
  const std::size_t op0 = dom.find("id=\"op-0\"");
  REQUIRE(op0 != std::string::npos);
  CHECK(dom.substr(dom.rfind("<section", op0), op0 - dom.rfind("<section", op0)).find("has-violation") != std::string::npos);
  const std::size_t end = dom.find("</section>", op0);
  const std::string section = dom.substr(op0, end - op0);
  // Segment 1 crosses its boundary window: drawn as a crossing segment, beside a boundary line,
  // in the op whose violation names it; segment 0 stays inside its window.
  const std::size_t row1 = section.find("data-segment=\"1\"");
  REQUIRE(row1 != std::string::npos);
  CHECK(section.find("segment crossing", row1) != std::string::npos);
  CHECK(section.find("class=\"boundary\"", row1) != std::string::npos);
  const std::string row0 = section.substr(section.find("data-segment=\"0\""), row1 - section.find("data-segment=\"0\""));
  CHECK(row0.find("crossing") == std::string::npos);
  CHECK(section.find("data-rule=\"sg.boundary\"") != std::string::npos);
  CHECK(std::filesystem::file_size(shot) > 0);
}

TEST_CASE("explain --format html: a clean case highlights nothing; a bad format is exit 2", "[cli][explain]") {
  const std::string clean = std::string(IOVET_SOURCE_DIR) + "/corpus/mainline/" +
                            "mainline-rcache-per-cpu.json";
  const IovetRun r = run_iovet("explain " + clean + " --format html");
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("class=\"op has-violation\"") == std::string::npos);
  CHECK(r.out.find("<p>none</p>") != std::string::npos);
  const IovetRun bad = run_iovet("explain " + clean + " --format pdf");
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--format") != std::string::npos);
}

TEST_CASE("explain: a page-table walk reads the same as text and as an HTML table", "[cli][explain]") {
  const std::string path = write_temp_file("walk.json", R"({"iovet": 1, "name": "walk", "target": "pgtable",
    "config": {"format": "arm64-lpae-s1"},
    "ops": [{"op": "map", "iova": "0x40000000", "paddr": "0x80000000", "pgsize": "0x200000", "prot": ["read"]}]})");
  const std::string block = "block 0x200000 OA=0x80000000 AttrIndx=0 (NC) NS=0 AP=RO,unpriv SH=OS AF=1 nG=1 DBM=0 XN=0";
  const IovetRun text = run_iovet("explain " + path);
  INFO(text.err);
  CHECK(text.out.find("walk L2: table ") != std::string::npos);
  CHECK(text.out.find(block) != std::string::npos);
  const IovetRun html = run_iovet("explain " + path + " --format html");
  CHECK(html.out.find("<table class=\"walk\">") != std::string::npos);
  CHECK(html.out.find("<td>L2</td>") != std::string::npos);
  CHECK(html.out.find("<td>" + block + "</td>") != std::string::npos);
}

TEST_CASE("explain: the IOTLB over time, its stale entry marked while the IOVA waits in the flush queue", "[cli][explain]") {
  // DMA-FQ: the unmap at op 3 leaves the device's translation in the IOTLB until the timer's
  // TLBI at op 5; the page table no longer maps it from op 3 on.
  const std::string lazy = std::string(IOVET_SOURCE_DIR) + "/corpus/mainline/smmu-lazy-stale-until-flush.json";
  const IovetRun text = run_iovet("explain " + lazy);
  INFO(text.err);
  REQUIRE(text.exit_code == 0);
  const auto op = [&](int k) { return text.out.find("\n[" + std::to_string(k) + "] "); };
  const std::size_t stale = text.out.find("STALE: the page table no longer maps it so");
  REQUIRE(stale != std::string::npos);
  CHECK(stale > op(3));
  CHECK(stale < op(5));
  const std::size_t filled = text.out.find("IOTLB now holds 1 entry:");
  CHECK(filled > op(2));
  CHECK(filled < op(3));
  CHECK(text.out.find("IOTLB now holds 0 entries", op(5)) != std::string::npos);

  const IovetRun html = run_iovet("explain " + lazy + " --format html");
  REQUIRE(html.exit_code == 0);
  const std::string page = write_temp_file("iotlb.html", html.out);
  const std::string dom = browser_dom(page, std::filesystem::path(page).replace_extension("png").string());
  const std::size_t op3 = dom.find("id=\"op-3\""), op4 = dom.find("id=\"op-4\"");
  REQUIRE(op3 != std::string::npos);
  REQUIRE(op4 != std::string::npos);
  const std::size_t row = dom.find("<tr class=\"stale\">", op3);
  CHECK(row < op4);
  CHECK(dom.find("<tr class=\"stale\">") == row);  // nothing stale before the unmap
}
