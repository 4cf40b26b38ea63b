// Page assembly for the HTML report: the JSON data block, the embedded
// stylesheet and script, and the Content-Security-Policy that pins them.
#include "storysift/story_report.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "io/report_assets.h"
#include "io/sha256.h"
#include "io/json_writer.h"

namespace storysift {
namespace {

// A link target the page may use: http(s) with no bytes a browser would
// strip or reinterpret (controls, spaces, quotes, angle brackets).
bool IsWebUrl(std::string_view url) {
  const auto starts = [&](std::string_view p) {
    if (url.size() < p.size()) return false;
    for (size_t i = 0; i < p.size(); ++i) {
      if ((url[i] | 0x20) != p[i]) return false;
    }
    return true;
  };
  if (!starts("http://") && !starts("https://")) return false;
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '`') {
      return false;
    }
  }
  return true;
}

void AppendOptionalNumber(std::string* out, std::optional<double> value, int digits) {
  if (value) {
    AppendJsonNumber(out, *value, digits);
  } else {
    out->append("null");
  }
}

// [id,title,source,url,published,novelty,[new_terms],copy_of,passage]
void AppendArticle(std::string* out, const ReportArticle& a) {
  out->push_back('[');
  AppendJsonString(out, a.id);
  out->push_back(',');
  AppendJsonString(out, a.title);
  out->push_back(',');
  AppendJsonString(out, a.source);
  out->push_back(',');
  AppendJsonString(out, IsWebUrl(a.url) ? std::string_view(a.url) : std::string_view());
  out->push_back(',');
  if (a.published) {
    absl::StrAppend(out, *a.published);
  } else {
    out->append("null");
  }
  out->push_back(',');
  AppendOptionalNumber(out, a.novelty, 3);
  out->push_back(',');
  AppendJsonStringArray(out, a.new_terms);
  absl::StrAppend(out, ",", a.copy_of, ",");
  AppendJsonString(out, a.shared_passage);
  out->push_back(']');
}

void AppendSideText(std::string* out, const ReportSideText& text) {
  AppendJsonStringArray(out, text.runs);
  out->append(text.truncated ? ",1" : ",0");
}

// Inside <script type="application/json"> nothing may read as markup: "<"
// (a "</script>" or "<!--" would end or bend the block), ">" and "&" become
// JSON escapes, which JSON.parse turns back into the same characters.
std::string EscapeForScriptBlock(std::string_view json) {
  std::string out;
  out.reserve(json.size() + json.size() / 64);
  for (char c : json) {
    switch (c) {
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string EscapeHtmlText(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string CspHash(std::string_view body) {
  const std::array<uint8_t, 32> digest = internal::Sha256(body);
  return absl::StrCat("'sha256-",
                      absl::Base64Escape(absl::string_view(
                          reinterpret_cast<const char*>(digest.data()), digest.size())),
                      "'");
}

std::string Page(std::string_view title, std::string_view json) {
  const std::string css(internal::ReportAsset_report_css());
  const std::string js(internal::ReportAsset_report_js());
  // default-src 'none' also covers connect-src, font-src, frame-src and
  // media; only the hashed script and style run, and images only as data:.
  const std::string csp =
      absl::StrCat("default-src 'none'; script-src ", CspHash(js), "; style-src ", CspHash(css),
                   "; img-src data:; base-uri 'none'; form-action 'none'");
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\" data-errors=\"0\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"",
      csp,
      "\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
      EscapeHtmlText(title), "</title>\n<style>", css,
      "</style>\n</head>\n<body>\n<noscript>This report is drawn by its script; open it in a "
      "browser with JavaScript on.</noscript>\n<main id=\"app\"></main>\n"
      "<script type=\"application/json\" id=\"report-data\">",
      EscapeForScriptBlock(json), "</script>\n<script>", js, "</script>\n</body>\n</html>\n");
}

}  // namespace

std::string RenderStoryReportHtml(const StoryReport& report) {
  std::string json = "{\"kind\":\"stories\",\"title\":";
  AppendJsonString(&json, report.title);
  absl::StrAppend(&json, ",\"minSize\":", report.default_min_size, ",\"stories\":[");
  for (size_t s = 0; s < report.stories.size(); ++s) {
    const ReportStory& story = report.stories[s];
    if (s > 0) json += ",\n";
    json.push_back('[');
    AppendJsonString(&json, story.story_id);
    json.push_back(',');
    AppendJsonString(&json, story.status);
    json += story.archived ? ",1," : ",0,";
    AppendJsonStringArray(&json, story.label);
    json += ",[";
    for (size_t i = 0; i < story.articles.size(); ++i) {
      if (i > 0) json.push_back(',');
      AppendArticle(&json, story.articles[i]);
    }
    json += "]]";
  }
  json += "]}";
  return Page(report.title, json);
}

std::string RenderDedupReportHtml(const DedupReport& report) {
  std::string json = "{\"kind\":\"dedup\",\"title\":";
  AppendJsonString(&json, report.title);
  absl::StrAppend(&json, ",\"documents\":", report.num_documents, ",\"groups\":[");
  for (size_t g = 0; g < report.groups.size(); ++g) {
    const ReportCopyGroup& group = report.groups[g];
    if (g > 0) json += ",\n";
    json.push_back('[');
    AppendArticle(&json, group.representative);
    json += ",[";
    // [article,similarity,[copy runs],copy_truncated,[original runs],original_truncated]
    for (size_t c = 0; c < group.copies.size(); ++c) {
      const ReportCopy& copy = group.copies[c];
      if (c > 0) json.push_back(',');
      json.push_back('[');
      AppendArticle(&json, copy.article);
      json.push_back(',');
      AppendJsonNumber(&json, copy.similarity, 3);
      json.push_back(',');
      AppendSideText(&json, copy.text);
      json.push_back(',');
      AppendSideText(&json, copy.original_text);
      json.push_back(']');
    }
    json += "]]";
  }
  json += "]}";
  return Page(report.title, json);
}

}  // namespace storysift
