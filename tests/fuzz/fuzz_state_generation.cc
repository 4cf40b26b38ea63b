// Fuzzes the daily state's loader (CURRENT, MANIFEST, meta.json,
// stories.jsonl, documents.jsonl, archive.jsonl) on arbitrary bytes: the
// input is split at "\n--8<--\n" into those six files of generation 1 of a
// scratch state directory. A state must load whole or be refused as
// DataLoss / Unimplemented; one that loads has one document line per story
// member, and `state verify` agrees with the loader.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "storysift/story_state.h"

namespace {

using storysift::fuzz::Check;
using storysift::fuzz::CheckLoadError;

// One scratch directory per process, removed when the process ends.
struct Scratch {
  std::string dir = (std::filesystem::temp_directory_path() /
                     ("storysift_fuzz_state_" + std::to_string(::getpid())))
                        .string();
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

const std::string& ScratchDir() {
  static const Scratch scratch;
  return scratch.dir;
}

void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  const std::string& dir = ScratchDir();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir + "/gen-000001");
  static const char* kFiles[] = {"CURRENT",      "gen-000001/MANIFEST",
                                 "gen-000001/meta.json", "gen-000001/stories.jsonl",
                                 "gen-000001/documents.jsonl", "gen-000001/archive.jsonl"};
  constexpr std::string_view kCut = "\n--8<--\n";
  for (const char* name : kFiles) {
    const size_t cut = rest.find(kCut);
    WriteFile(dir + "/" + name, rest.substr(0, cut));
    rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + kCut.size());
  }
  const absl::StatusOr<storysift::StoryState> state = storysift::LoadStoryState(dir);
  const absl::StatusOr<std::string> verified = storysift::VerifyStoryState(dir);
  Check(state.ok() == verified.ok(), "state verify agrees with the loader");
  if (!state.ok()) {
    CheckLoadError(state.status());
    return 0;
  }
  size_t members = 0;
  for (const storysift::StoredStory& s : state->stories) members += s.members.size();
  if (state->generation > 0) {
    std::ifstream docs(state->documents_path, std::ios::binary);
    std::string line;
    size_t lines = 0;
    while (std::getline(docs, line)) lines += !line.empty();
    Check(lines == members, "a loaded state has one document line per story member");
  }
  return 0;
}
