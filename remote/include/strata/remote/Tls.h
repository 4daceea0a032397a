#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace strata::remote {

/// Writes a self-signed certificate (ECDSA P-256, SHA-256, subjectAltName = hosts + localhost + 127.0.0.1)
/// and its private key (0600) as PEM. Throws Error.
void createSelfSignedCertificate(const std::filesystem::path& certFile, const std::filesystem::path& keyFile,
                                 const std::vector<std::string>& hosts, int days = 825);

/// SHA-256 fingerprint of a PEM certificate's DER encoding: "AB:CD:...:EF" (as `openssl x509 -fingerprint
/// -sha256` prints it). Throws Error.
[[nodiscard]] std::string certificateFingerprint(const std::filesystem::path& certPemFile);

/// Upper-case hex without separators or a "sha256:" / "SHA256 Fingerprint=" prefix; "" if it is not 64 hex digits.
[[nodiscard]] std::string normaliseFingerprint(const std::string& text);

} // namespace strata::remote
