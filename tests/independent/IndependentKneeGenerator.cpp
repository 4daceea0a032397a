#include "independent/IndependentKneeGenerator.h"

#include "independent/KneeAnatomy.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <random>
#include <thread>
#include <vector>

namespace strata::testing::indep {

namespace {

/// A smooth bias field: exp of a sum of three random plane waves of 150-350 mm wavelength (patient coordinates).
class BiasField {
public:
    BiasField(std::uint64_t seed, double amplitude) : amplitude_(amplitude)
    {
        std::mt19937_64 rng(seed ^ 0xb1a5ull);
        std::uniform_real_distribution<double> u(-1.0, 1.0), wl(150.0, 350.0), ph(0.0, 6.283);
        for (auto& w : waves_) {
            Vec3 d{u(rng), u(rng), u(rng)};
            const double n = std::max(1e-6, std::hypot(d[0], d[1], d[2]));
            const double k = 6.283185307 / wl(rng);
            w = {d[0] / n * k, d[1] / n * k, d[2] / n * k, ph(rng)};
        }
    }
    double operator()(const Vec3& p) const
    {
        double s = 0;
        for (const auto& w : waves_) s += std::sin(w[0] * p[0] + w[1] * p[1] + w[2] * p[2] + w[3]);
        return std::exp(amplitude_ * s / 1.5);
    }

private:
    double amplitude_;
    std::array<std::array<double, 4>, 3> waves_{};
};

} // namespace

IndependentKneeCase IndependentKneeGenerator::generate(const Settings& settings)
{
    std::mt19937_64 rng(settings.seed ^ 0x9e4ull);
    const double snr = settings.snr > 0 ? settings.snr : std::uniform_real_distribution<double>(12.0, 30.0)(rng);
    const double bias = settings.bias >= 0 ? settings.bias : std::uniform_real_distribution<double>(0.1, 0.35)(rng);
    const double gainJitter = std::uniform_real_distribution<double>(0.6, 1.6)(rng);

    const KneeAnatomy anatomy(settings.seed);
    const TissueModel tissues(settings.contrast, settings.seed);
    const Acquisition acq(settings.acquisition, settings.seed);

    IndependentKneeCase out;
    Image signal = acq.grid(PixelType::Float32);
    out.labels = acq.grid(PixelType::UInt8);
    const Size3 n = signal.size();
    const Vec3 sp = signal.spacing();
    std::array<int, 3> sub{1, 1, 1};
    for (std::size_t c = 0; c < 3; ++c) {
        const double limit = sp[c] > settings.acquisition.inPlaneMm + 1e-9 ? 0.45 : 0.3; // across slices : in plane
        sub[c] = settings.supersample ? std::max(1, static_cast<int>(std::ceil(sp[c] / limit - 1e-9))) : 1;
    }
    auto sig = signal.pixels<float>();
    auto lab = out.labels.pixels<std::uint8_t>();
    const BiasField biasField(settings.seed, bias);

    // Pass 1: one point at each voxel centre. Pass 2: voxels whose six neighbours all match it in tissue and label
    // keep that point; the others (boundaries) are sampled on the sub-grid.
    std::vector<std::uint8_t> centreTissue(signal.voxelCount());
    const unsigned threads = settings.threads > 0 ? static_cast<unsigned>(settings.threads)
                                                  : std::max(1u, std::thread::hardware_concurrency());
    auto parallelSlices = [&](auto&& perSlice) {
        std::atomic<std::size_t> nextSlice{0};
        std::vector<std::thread> pool;
        for (unsigned t = 0; t < threads; ++t) {
            pool.emplace_back([&]() {
                for (std::size_t k; (k = nextSlice.fetch_add(1)) < n[2];) perSlice(k);
            });
        }
        for (auto& t : pool) t.join();
    };
    parallelSlices([&](std::size_t k) {
        for (std::size_t j = 0; j < n[1]; ++j) {
            for (std::size_t i = 0; i < n[0]; ++i) {
                const Vec3 w = signal.indexToWorld({double(i), double(j), double(k)});
                const TissueSample t = anatomy.sampleAt(acq.kneeAt(w));
                const std::size_t idx = signal.linearIndex(i, j, k);
                centreTissue[idx] = static_cast<std::uint8_t>(t.tissue);
                lab[idx] = t.label;
                sig[idx] = static_cast<float>(tissues.signal(t.tissue, t.texture));
            }
        }
    });
    std::vector<std::uint8_t> mixed(signal.voxelCount(), 0);
    for (std::size_t k = 0; k < n[2]; ++k)
        for (std::size_t j = 0; j < n[1]; ++j)
            for (std::size_t i = 0; i < n[0]; ++i) {
                const std::size_t idx = signal.linearIndex(i, j, k);
                auto differs = [&](std::size_t o) { return centreTissue[o] != centreTissue[idx] || lab[o] != lab[idx]; };
                mixed[idx] = (i > 0 && differs(idx - 1)) || (i + 1 < n[0] && differs(idx + 1)) ||
                             (j > 0 && differs(idx - n[0])) || (j + 1 < n[1] && differs(idx + n[0])) ||
                             (k > 0 && differs(idx - n[0] * n[1])) || (k + 1 < n[2] && differs(idx + n[0] * n[1]));
            }
    std::vector<Vec3> offsets;
    for (int c = 0; c < sub[2]; ++c)
        for (int b = 0; b < sub[1]; ++b)
            for (int a = 0; a < sub[0]; ++a)
                offsets.push_back({(a + 0.5) / sub[0] - 0.5, (b + 0.5) / sub[1] - 0.5, (c + 0.5) / sub[2] - 0.5});
    std::atomic<std::size_t> mixedCount{0};
    if (offsets.size() > 1) {
        parallelSlices([&](std::size_t k) {
            std::size_t count = 0;
            for (std::size_t j = 0; j < n[1]; ++j) {
                for (std::size_t i = 0; i < n[0]; ++i) {
                    const std::size_t idx = signal.linearIndex(i, j, k);
                    if (!mixed[idx]) continue;
                    ++count;
                    std::array<int, LabelCount> votes{};
                    double sum = 0;
                    for (const auto& o : offsets) {
                        const Vec3 w = signal.indexToWorld({i + o[0], j + o[1], k + o[2]});
                        const TissueSample t = anatomy.sampleAt(acq.kneeAt(w));
                        sum += tissues.signal(t.tissue, t.texture);
                        ++votes[t.label];
                    }
                    sig[idx] = static_cast<float>(sum / static_cast<double>(offsets.size()));
                    // majority; a tie keeps the centre's label
                    int best = lab[idx];
                    for (int l = 0; l < LabelCount; ++l)
                        if (votes[static_cast<std::size_t>(l)] > votes[static_cast<std::size_t>(best)]) best = l;
                    lab[idx] = static_cast<std::uint8_t>(best);
                }
            }
            mixedCount += count;
        });
    }
    for (std::size_t k = 0; k < n[2]; ++k)
        for (std::size_t j = 0; j < n[1]; ++j)
            for (std::size_t i = 0; i < n[0]; ++i)
                sig[signal.linearIndex(i, j, k)] *=
                    static_cast<float>(biasField(signal.indexToWorld({double(i), double(j), double(k)})));

    // Rician noise (sequential: deterministic whatever the thread count), then uint16 with a drawn gain.
    const double sigma = tissues.cartilageSignal() / snr;
    const double gain = 1800.0 / tissues.brightest() * gainJitter;
    std::normal_distribution<double> noise(0.0, sigma);
    out.image = acq.grid(PixelType::UInt16);
    auto px = out.image.pixels<std::uint16_t>();
    for (std::size_t i = 0; i < px.size(); ++i) {
        const double re = sig[i] + noise(rng), im = noise(rng);
        px[i] = static_cast<std::uint16_t>(std::clamp(std::hypot(re, im) * gain, 0.0, 65535.0));
    }

    std::array<std::size_t, LabelCount> counts{};
    for (const auto l : lab) ++counts[l];
    nlohmann::json volumes = nlohmann::json::object(), voxels = nlohmann::json::object();
    for (int l = 1; l < LabelCount; ++l) {
        const auto name = std::string(kLabelNames[static_cast<std::size_t>(l)]);
        voxels[name] = counts[static_cast<std::size_t>(l)];
        volumes[name] = static_cast<double>(counts[static_cast<std::size_t>(l)]) * out.image.voxelVolume();
    }
    out.truth = {{"family", "strata independent knee family (tests/independent), issue 17"},
                 {"seed", settings.seed},
                 {"contrast", contrastName(settings.contrast)},
                 {"protocol", tissues.protocol()},
                 {"snr_cartilage", snr},
                 {"bias_amplitude", bias},
                 {"acquisition", acq.describe()},
                 {"size", out.image.size()},
                 {"spacing_mm", out.image.spacing()},
                 {"direction_lps", out.image.direction()},
                 {"origin_lps", out.image.origin()},
                 {"subsamples_per_voxel", sub},
                 {"supersampled_voxel_fraction", static_cast<double>(mixedCount) / static_cast<double>(signal.voxelCount())},
                 {"anatomy", anatomy.describe()},
                 {"label_voxels", voxels},
                 {"label_volumes_mm3", volumes}};
    return out;
}

} // namespace strata::testing::indep
