#include "strata/results/BoneRegistration.h"

#include "strata/Error.h"
#include "strata/Progress.h"

#include <itkImage.h>
#include <itkImageRegistrationMethodv4.h>
#include <itkLinearInterpolateImageFunction.h>
#include <itkMeanSquaresImageToImageMetricv4.h>
#include <itkRegistrationParameterScalesFromPhysicalShift.h>
#include <itkRegularStepGradientDescentOptimizerv4.h>
#include <itkSignedMaurerDistanceMapImageFilter.h>
#include <itkVersorRigid3DTransform.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace strata::results {

namespace {

using MaskImage = itk::Image<unsigned char, 3>;
using FloatImage = itk::Image<float, 3>;
using Transform = itk::VersorRigid3DTransform<double>;

constexpr double kMarginMm = 12.0;          // room around the bone for the distance map to guide the registration
constexpr double kAroundCartilageMm = 20.0; // how much of the bone beyond its cartilage the registration sees

/// One bone of one timepoint: its signed distance map (mm, negative inside) on its bounding box plus a margin,
/// its centroid and its surface voxels' centres (world).
struct BoneField {
    FloatImage::Pointer distance;
    Vec3 centroid{0, 0, 0};
    std::vector<Vec3> surface;
};

/// Whether a world point lies inside the image, at least one voxel from its faces (where a bone cut by the field
/// of view has no surface to compare with).
bool insideImage(const Image& image, const Vec3& world)
{
    const Vec3 i = image.worldToIndex(world);
    for (int a = 0; a < 3; ++a)
        if (i[a] < 1.0 || i[a] > double(image.size()[std::size_t(a)]) - 2.0) return false;
    return true;
}

/// Bounding box (inclusive voxel indices) of the voxels whose label is in `ids`; hi < lo when there are none.
struct Box {
    std::array<long, 3> lo{0, 0, 0}, hi{-1, -1, -1};
    bool empty() const { return hi[0] < lo[0]; }
};

/// One bone of one timepoint cut out around its joint surfaces: the bone's bounding box, narrowed to its cartilage
/// plates' box grown by `aroundCartilageMm` (the shafts matter less than the joint, and a field of view cuts them
/// differently at each timepoint), grown by kMarginMm and kept inside the image. The distance map has no surface
/// where the bone leaves the image, and neither has the list of surface voxels.
BoneField boneField(const Image& labelsIn, int label, const std::vector<int>& cartilage, double aroundCartilageMm, const char* which,
                    const std::string& bone)
{
    const Image labels = labelsIn.pixelType() == PixelType::UInt8 ? labelsIn : labelsIn.convertedTo(PixelType::UInt8);
    const auto ids = labels.pixels<std::uint8_t>();
    const auto& s = labels.size();
    Box boneBox{{long(s[0]), long(s[1]), long(s[2])}, {-1, -1, -1}}, cartilageBox = boneBox;
    Vec3 sum{0, 0, 0};
    std::size_t count = 0;
    for (std::size_t k = 0; k < s[2]; ++k)
        for (std::size_t j = 0; j < s[1]; ++j)
            for (std::size_t i = 0; i < s[0]; ++i) {
                const int id = ids[labels.linearIndex(i, j, k)];
                const bool isBone = id == label;
                if (!isBone && std::find(cartilage.begin(), cartilage.end(), id) == cartilage.end()) continue;
                Box& box = isBone ? boneBox : cartilageBox;
                const std::array<long, 3> v{long(i), long(j), long(k)};
                for (int a = 0; a < 3; ++a) box.lo[a] = std::min(box.lo[a], v[a]), box.hi[a] = std::max(box.hi[a], v[a]);
                if (!isBone) continue;
                const Vec3 w = labels.indexToWorld({double(i), double(j), double(k)});
                for (int a = 0; a < 3; ++a) sum[a] += w[a];
                ++count;
            }
    if (count < 10) {
        throw InvalidArgument(std::string("The ") + which + " segmentation has no " + bone +
                              " (label " + std::to_string(label) + "): the bones are needed to align the two timepoints.");
    }
    BoneField f;
    for (int a = 0; a < 3; ++a) f.centroid[a] = sum[a] / double(count);

    std::array<long, 3> first{}, size{};
    for (int a = 0; a < 3; ++a) {
        const double h = labels.spacing()[std::size_t(a)];
        const long margin = std::lround(std::ceil(kMarginMm / h));
        long lo = boneBox.lo[a], hi = boneBox.hi[a];
        if (!cartilageBox.empty()) {
            const long around = std::lround(std::ceil(aroundCartilageMm / h));
            lo = std::max(lo, cartilageBox.lo[a] - around);
            hi = std::min(hi, cartilageBox.hi[a] + around);
        }
        first[a] = std::max(0L, lo - margin);
        size[a] = std::min(long(s[std::size_t(a)]) - 1, hi + margin) - first[a] + 1;
    }
    auto mask = MaskImage::New();
    MaskImage::RegionType region;
    region.SetSize({static_cast<itk::SizeValueType>(size[0]), static_cast<itk::SizeValueType>(size[1]),
                    static_cast<itk::SizeValueType>(size[2])});
    mask->SetRegions(region);
    const Vec3 origin = labels.indexToWorld({double(first[0]), double(first[1]), double(first[2])});
    MaskImage::DirectionType direction;
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c) direction(r, c) = labels.direction()[std::size_t(r * 3 + c)];
    mask->SetOrigin(origin.data());
    mask->SetSpacing(labels.spacing().data());
    mask->SetDirection(direction);
    mask->Allocate();
    unsigned char* m = mask->GetBufferPointer();
    // Outside the image counts as bone: where the bone leaves the field of view it has no surface.
    auto inside = [&](long i, long j, long k) {
        return i < 0 || j < 0 || k < 0 || i >= long(s[0]) || j >= long(s[1]) || k >= long(s[2]) ||
               ids[labels.linearIndex(std::size_t(i), std::size_t(j), std::size_t(k))] == label;
    };
    for (long k = 0; k < size[2]; ++k)
        for (long j = 0; j < size[1]; ++j)
            for (long i = 0; i < size[0]; ++i) {
                const long x = first[0] + i, y = first[1] + j, z = first[2] + k;
                const bool in = inside(x, y, z);
                m[i + size[0] * (j + size[1] * k)] = in ? 1 : 0;
                if (in && (!inside(x - 1, y, z) || !inside(x + 1, y, z) || !inside(x, y - 1, z) || !inside(x, y + 1, z) ||
                           !inside(x, y, z - 1) || !inside(x, y, z + 1))) {
                    f.surface.push_back(labels.indexToWorld({double(x), double(y), double(z)}));
                }
            }
    auto sdf = itk::SignedMaurerDistanceMapImageFilter<MaskImage, FloatImage>::New();
    sdf->SetInput(mask);
    sdf->SetUseImageSpacing(true);
    sdf->SetSquaredDistance(false);
    sdf->SetInsideIsPositive(false);
    sdf->SetBackgroundValue(0);
    sdf->Update();
    f.distance = sdf->GetOutput();
    f.distance->DisconnectPipeline();
    return f;
}

} // namespace

Vec3 RigidTransform::apply(const Vec3& p) const
{
    Vec3 q = translation;
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c) q[std::size_t(r)] += rotation[std::size_t(r * 3 + c)] * p[std::size_t(c)];
    return q;
}

double RigidTransform::angleDegrees() const
{
    const double c = std::clamp((rotation[0] + rotation[4] + rotation[8] - 1.0) / 2.0, -1.0, 1.0);
    return std::acos(c) * 180.0 / std::numbers::pi;
}

nlohmann::json RigidTransform::toJson() const
{
    return {{"rotation", rotation}, {"translation_mm", translation}};
}

nlohmann::json BoneAlignment::toJson() const
{
    return {{"bone", bone},
            {"label", label},
            {"baseline_to_followup", baselineToFollowup.toJson()},
            {"rotation_deg", baselineToFollowup.angleDegrees()},
            {"moved_mm", movedMm},
            {"residual_mm", residualMm},
            {"residual_p95_mm", residualP95Mm},
            {"iterations", iterations}};
}

BoneAlignment BoneRegistration::align(const Image& baselineLabels, const Image& followupLabels, int label, const std::string& bone,
                                      const std::vector<int>& cartilage, std::stop_token stop)
{
    throwIfStopped(stop);
    // The follow-up is cut out wider than the baseline, so that the baseline's box, moved, stays inside it.
    const BoneField fixed = boneField(baselineLabels, label, cartilage, kAroundCartilageMm, "baseline", bone);
    throwIfStopped(stop);
    const BoneField moving = boneField(followupLabels, label, cartilage, 2.0 * kAroundCartilageMm, "follow-up", bone);
    throwIfStopped(stop);

    auto transform = Transform::New();
    Transform::InputPointType center;
    Transform::OutputVectorType shift;
    for (unsigned a = 0; a < 3; ++a) {
        center[a] = fixed.centroid[a];
        shift[a] = moving.centroid[a] - fixed.centroid[a];
    }
    transform->SetCenter(center);
    transform->SetTranslation(shift);

    using Metric = itk::MeanSquaresImageToImageMetricv4<FloatImage, FloatImage>;
    using Optimizer = itk::RegularStepGradientDescentOptimizerv4<double>;
    using Registration = itk::ImageRegistrationMethodv4<FloatImage, FloatImage, Transform>;
    auto metric = Metric::New();
    metric->SetMaximumNumberOfWorkUnits(1); // one summation order: the same numbers on every machine and run
    auto optimizer = Optimizer::New();
    auto scales = itk::RegistrationParameterScalesFromPhysicalShift<Metric>::New();
    scales->SetMetric(metric);
    optimizer->SetScalesEstimator(scales);
    optimizer->SetLearningRate(2.0);
    optimizer->SetMinimumStepLength(1e-4);
    optimizer->SetRelaxationFactor(0.5);
    optimizer->SetNumberOfIterations(300);
    optimizer->SetGradientMagnitudeTolerance(1e-8);
    optimizer->SetReturnBestParametersAndValue(true);
    Optimizer* raw = optimizer.GetPointer();
    optimizer->AddObserver(itk::IterationEvent(), [raw, stop](const itk::EventObject&) {
        if (stop.stop_requested()) raw->StopOptimization();
    });

    auto registration = Registration::New();
    registration->SetNumberOfWorkUnits(1);
    registration->SetFixedImage(fixed.distance);
    registration->SetMovingImage(moving.distance);
    registration->SetMetric(metric);
    registration->SetOptimizer(optimizer);
    registration->SetInitialTransform(transform);
    registration->InPlaceOn();
    registration->SetNumberOfLevels(3);
    Registration::ShrinkFactorsArrayType shrink(3);
    Registration::SmoothingSigmasArrayType sigmas(3);
    shrink[0] = 4, shrink[1] = 2, shrink[2] = 1;
    sigmas[0] = 2.0, sigmas[1] = 1.0, sigmas[2] = 0.0;
    registration->SetShrinkFactorsPerLevel(shrink);
    registration->SetSmoothingSigmasPerLevel(sigmas);
    registration->SetSmoothingSigmasAreSpecifiedInPhysicalUnits(true);
    registration->SetMetricSamplingStrategy(Registration::MetricSamplingStrategyEnum::REGULAR);
    registration->SetMetricSamplingPercentage(0.25);
    registration->MetricSamplingReinitializeSeed(19); // regular sampling jitters its points: a fixed seed keeps runs identical
    int iterations = 0;
    try {
        registration->Update();
        iterations = int(optimizer->GetCurrentIteration());
    } catch (const itk::ExceptionObject& e) {
        throw Error("Aligning the " + bone + " of the two timepoints failed: " + std::string(e.GetDescription()));
    }
    throwIfStopped(stop);

    BoneAlignment out;
    out.bone = bone;
    out.label = label;
    out.iterations = iterations;
    const auto matrix = transform->GetMatrix();
    const auto offset = transform->GetOffset();
    for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < 3; ++c) out.baselineToFollowup.rotation[std::size_t(r * 3 + c)] = matrix(r, c);
        out.baselineToFollowup.translation[std::size_t(r)] = offset[r];
    }
    const Vec3 moved = out.baselineToFollowup.apply(fixed.centroid);
    out.movedMm = std::hypot(moved[0] - fixed.centroid[0], moved[1] - fixed.centroid[1], moved[2] - fixed.centroid[2]);

    // Residual: the baseline bone surface carried into the follow-up, read on the follow-up's distance map.
    auto interpolator = itk::LinearInterpolateImageFunction<FloatImage, double>::New();
    interpolator->SetInputImage(moving.distance);
    std::vector<double> distances;
    distances.reserve(fixed.surface.size());
    for (const auto& p : fixed.surface) {
        const Vec3 q = out.baselineToFollowup.apply(p);
        FloatImage::PointType point;
        for (unsigned a = 0; a < 3; ++a) point[a] = q[a];
        if (!insideImage(followupLabels, q)) continue; // out of the follow-up's field of view: not seen, not judged
        if (!interpolator->IsInsideBuffer(point)) {
            distances.push_back(kMarginMm); // carried outside the follow-up bone's neighbourhood: as far as we can tell
            continue;
        }
        distances.push_back(std::abs(interpolator->Evaluate(point)));
    }
    double sum = 0;
    for (const double d : distances) sum += d;
    out.residualMm = distances.empty() ? 0.0 : sum / double(distances.size());
    if (!distances.empty()) {
        const auto nth = distances.begin() + std::ptrdiff_t(0.95 * double(distances.size() - 1));
        std::nth_element(distances.begin(), nth, distances.end());
        out.residualP95Mm = *nth;
    }
    return out;
}

} // namespace strata::results
