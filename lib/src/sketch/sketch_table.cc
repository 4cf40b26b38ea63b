#include "storysift/sketch_table.h"

#include "storysift/bbit_minhash.h"
#include "storysift/minhash.h"

namespace storysift {

SketchView SketchTable::row(DocOrdinal d) const {
  SketchView v;
  if (!minhash.empty()) {
    v.minhash = minhash.subspan(static_cast<size_t>(d) * num_perm, num_perm);
  }
  if (!verify.empty()) {
    const size_t bytes = VerifyRowBytes(verify_bits, num_perm);
    v.verify = verify.subspan(static_cast<size_t>(d) * bytes, bytes);
    v.verify_bits = verify_bits;
  }
  if (!band_keys.empty()) {
    const size_t nb = static_cast<size_t>(band_params.num_bands);
    v.band_keys = band_keys.subspan(static_cast<size_t>(d) * nb, nb);
    v.empty_set = v.verify.empty() ? IsEmptySignature(v.minhash) : IsEmptyVerifyRow(v.verify);
  }
  if (!simhash.empty()) v.simhash = simhash[d];
  return v;
}

}  // namespace storysift
