#include "strata/remote/Tls.h"

#include "strata/Error.h"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>

namespace strata::remote {

namespace {

template <typename T, void (*F)(T*)> struct Deleter {
    void operator()(T* p) const { F(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

void check(bool ok, const std::string& what)
{
    if (!ok) {
        throw Error("Cannot create a self-signed certificate: " + what + " failed.");
    }
}

void addExtension(X509* cert, int nid, const std::string& value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    check(ext != nullptr, "extension " + value);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

std::string bioText(BIO* bio)
{
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(n));
}

void writeFile(const std::filesystem::path& path, const std::string& text, mode_t mode)
{
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    const auto tmp = path.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0 || ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()) || ::fsync(fd) != 0) {
        if (fd >= 0) ::close(fd);
        throw IoError("Cannot write '" + path.string() + "'.");
    }
    ::fchmod(fd, mode);
    ::close(fd);
    std::filesystem::rename(tmp, path);
}

bool isIpAddress(const std::string& host)
{
    return !host.empty() && (host.find(':') != std::string::npos ||
                             host.find_first_not_of("0123456789.") == std::string::npos);
}

} // namespace

void createSelfSignedCertificate(const std::filesystem::path& certFile, const std::filesystem::path& keyFile,
                                 const std::vector<std::string>& hosts, int days)
{
    PkeyPtr key(EVP_EC_gen("P-256"));
    check(key != nullptr, "EC key generation");
    X509Ptr cert(X509_new());
    check(cert != nullptr, "X509_new");
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f;
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(days) * 24 * 3600);
    X509_set_pubkey(cert.get(), key.get());
    const std::string cn = hosts.empty() ? "localhost" : hosts.front();
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Strata server"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    std::vector<std::string> all = hosts;
    all.push_back("localhost");
    all.push_back("127.0.0.1");
    std::string san;
    std::vector<std::string> seen;
    for (const auto& h : all) {
        if (h.empty() || std::find(seen.begin(), seen.end(), h) != seen.end()) continue;
        seen.push_back(h);
        san += (san.empty() ? "" : ",") + std::string(isIpAddress(h) ? "IP:" : "DNS:") + h;
    }
    addExtension(cert.get(), NID_subject_alt_name, san);
    addExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    addExtension(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign");
    addExtension(cert.get(), NID_ext_key_usage, "serverAuth");
    addExtension(cert.get(), NID_subject_key_identifier, "hash");
    check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "signing");

    BioPtr certBio(BIO_new(BIO_s_mem())), keyBio(BIO_new(BIO_s_mem()));
    check(PEM_write_bio_X509(certBio.get(), cert.get()) == 1, "PEM encoding");
    check(PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1, "PEM key");
    writeFile(keyFile, bioText(keyBio.get()), 0600);
    writeFile(certFile, bioText(certBio.get()), 0644);
}

std::string certificateFingerprint(const std::filesystem::path& certPemFile)
{
    std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(certPemFile.c_str(), "r"), &std::fclose);
    if (!f) {
        throw IoError("Cannot read the certificate '" + certPemFile.string() + "'.");
    }
    X509Ptr cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
    if (!cert) {
        throw Error("'" + certPemFile.string() + "' is not a PEM certificate.");
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    X509_digest(cert.get(), EVP_sha256(), md, &n);
    std::string out;
    char hex[4];
    for (unsigned i = 0; i < n; ++i) {
        std::snprintf(hex, sizeof hex, "%02X", md[i]);
        out += (i ? ":" : "") + std::string(hex);
    }
    return out;
}

std::string normaliseFingerprint(const std::string& text)
{
    std::string t = text;
    const auto eq = t.find('=');
    if (eq != std::string::npos) t = t.substr(eq + 1);
    if (t.rfind("sha256:", 0) == 0 || t.rfind("SHA256:", 0) == 0 || t.rfind("sha256/", 0) == 0) t = t.substr(7);
    std::string out;
    for (char c : t) {
        if (c == ':' || c == ' ') continue;
        if (!std::isxdigit(static_cast<unsigned char>(c))) return "";
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out.size() == 64 ? out : "";
}

} // namespace strata::remote
