#include "inference/TorchDevice.h"

#include "strata/Error.h"

#include <thread>

#ifdef STRATA_HAVE_CUDA_PROPS
#include <ATen/cuda/CUDAContext.h>
#endif

namespace strata::inference {

torch::Device chooseDevice(const std::string& requested, std::vector<std::string>& messages)
{
    if (requested == "cpu") {
        return torch::Device(torch::kCPU);
    }
    if (requested != "auto" && requested != "cuda") {
        throw InvalidArgument("Unknown device '" + requested + "' (use auto, cpu or cuda).");
    }
    const bool cuda = torch::cuda::is_available();
    if (requested == "cuda" && !cuda) {
        throw Error("CUDA was requested but no CUDA device is available to LibTorch (use --device auto or cpu).");
    }
    if (!cuda) {
        messages.push_back("No CUDA device found: running on the CPU.");
        return torch::Device(torch::kCPU);
    }
    return torch::Device(torch::kCUDA, 0);
}

void configureCpuThreads(int threads)
{
    const int n = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (at::get_num_threads() != n) {
        at::set_num_threads(n);
    }
}

std::string describeDevice(const torch::Device& device, bool half)
{
    if (device.is_cuda()) {
        std::string name = "cuda:" + std::to_string(device.index());
#ifdef STRATA_HAVE_CUDA_PROPS
        name += std::string(" ") + at::cuda::getDeviceProperties(device.index())->name;
#endif
        return name + (half ? " (fp16)" : " (fp32)");
    }
    return "cpu (" + std::to_string(at::get_num_threads()) + " threads)";
}

} // namespace strata::inference
