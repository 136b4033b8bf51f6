// Opening a row-committed tensor at an MLE point (Hyrax), with a Bulletproofs-style inner-product
// argument whose challenges come from the transcript after each L, R.
//
// What is opened is the MLE of the zero-padded logical tensor (padding_mask.h): the weights are one
// or two (row, column) pairs, and a two-term opening sends the first term's value v0 and proves
// both terms (labels "<label>/0" and "<label>/1"), so v = v0 + v1 is fixed by the commitments.
//
// A tensor of n entries (zero-padded to 2^k) is committed as rows of w = 2^m entries,
// C_r = Σ_c t[r·w + c]·G_c. With the kit's LSB-first order the first m coordinates of a point z
// select the column and the rest the row, so t~(z) = <t', b> with t' = Σ_r eq(z_row, r)·t_r and
// b = eq(z_col, ·); the verifier forms C' = Σ_r eq(z_row, r)·C_r itself and checks the argument
// for P = C' + v·Q. Each round halves (lo | hi):
//   L = <a_lo, G_hi> + <a_lo, b_hi>·Q,  R = <a_hi, G_lo> + <a_hi, b_lo>·Q,  x from the transcript,
//   a' = x·a_lo + x⁻¹·a_hi,  b' = x⁻¹·b_lo + x·b_hi,  G' = x⁻¹·G_lo + x·G_hi,  P' = x²L + P + x⁻²R,
// and at the end P' = <a, G'> + <a, b'>·Q. Because the prover cannot know x before sending L and
// R, it cannot solve for R after picking L (the anchor's forgery, reference §5.3).
// The argument stops after at most IPA_MAX_ROUNDS rounds and sends what is left of a (w / 2^10
// entries for w > 2^10): every round costs the prover an MSM over all w generators, while the
// verifier's final MSM is over the w generators however many rounds there were, so for wide rows
// the last rounds cost more time than the entries they save.
#pragma once
#include <string>
#include <vector>
#include "../backend/backend.h"
#include "../commit/generators.h"
#include "opening_engine.h"
#include "padding_mask.h"
#include "transcript.h"

constexpr int IPA_MAX_ROUNDS = 10;
// How many rounds an argument over w = 2^m generators has, and how many entries of a it ends with.
inline int ipa_rounds(int m) { return m < IPA_MAX_ROUNDS ? m : IPA_MAX_ROUNDS; }
inline size_t ipa_final_length(int m) { return size_t(1) << (m - ipa_rounds(m)); }
// The bytes of one argument: L and R per round, then the final entries of a.
inline size_t ipa_proof_bytes(int m) { return 2 * 96 * (size_t)ipa_rounds(m) + 32 * ipa_final_length(m); }

struct IpaProof {
  std::vector<G1Affine> L, R;
  std::vector<Fr> a;  // ipa_final_length entries
};

struct OpeningProof {
  std::vector<Fr> term_values;  // v0 when there are two terms; empty for one
  std::vector<IpaProof> parts;   // one argument per term
};

// a = Σ_r row_weights[r]·t_r over the rows of w entries of the host tensor t (entries past its end
// count as zero).
std::vector<Fr> row_fold(const std::vector<Fr>& t, const std::vector<Fr>& row_weights, size_t w);

// The label of term k of an opening with `terms` terms.
std::string opening_term_label(const std::string& label, size_t terms, size_t k);

// Proves the masked evaluation Σ_k <Σ_r rows_k[r]·t_r, cols_k> of the padded tensor t; absorbs the
// values, then L and R of every round, into tr under `label`. The caller absorbs the row
// commitments (once, before any challenge that depends on them).
OpeningProof hyrax_prove(Transcript& tr, const std::string& label, const std::vector<Fr>& t,
                         const std::vector<OpeningTerm>& terms, std::shared_ptr<const PedersenGenerators> key,
                         Backend backend);

// The argument itself for value = <a, b> over the engine's vectors (w entries): what hyrax_prove
// runs after folding the rows, and what a batched opening runs on its combined fold.
IpaProof ipa_prove(Transcript& tr, const std::string& label, const Fr& value, IpaEngine& engine, size_t w);

// Checks that the tensor behind `rows` has masked evaluation v under `terms`.
bool hyrax_verify(Transcript& tr, const std::string& label, const std::vector<G1Affine>& rows,
                  const std::vector<OpeningTerm>& terms, const Fr& v, const OpeningProof& proof,
                  const PedersenGenerators& key, Backend backend, std::string& reason);

// One inner-product argument for <a, b> = value where a is committed as Σ_r row_weights[r]·rows[r].
bool ipa_verify(Transcript& tr, const std::string& label, const std::vector<G1Affine>& rows,
                const std::vector<Fr>& row_weights, const std::vector<Fr>& b, const Fr& value, const IpaProof& proof,
                const PedersenGenerators& key, Backend backend, std::string& reason);

// Absorbs points in their 96-byte encoding.
void absorb_points(Transcript& tr, const std::string& label, const std::vector<G1Affine>& pts);
