#include "DeviceInfo.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace strata::remote {

namespace {

std::string runCommand(const char* command)
{
    std::string out;
    FILE* pipe = ::popen(command, "r");
    if (!pipe) return out;
    char buf[512];
    while (std::fgets(buf, sizeof buf, pipe)) out += buf;
    ::pclose(pipe);
    return out;
}

std::string trim(std::string s)
{
    const auto b = s.find_first_not_of(" \t\r\n");
    const auto e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

} // namespace

nlohmann::json describeDevices()
{
    nlohmann::json gpus = nlohmann::json::array();
    std::istringstream lines(runCommand(
        "nvidia-smi --query-gpu=index,name,memory.total --format=csv,noheader,nounits 2>/dev/null"));
    for (std::string line; std::getline(lines, line);) {
        const auto c1 = line.find(',');
        const auto c2 = line.rfind(',');
        if (c1 == std::string::npos || c2 == c1) continue;
        try {
            gpus.push_back({{"index", std::stoi(line.substr(0, c1))},
                            {"name", trim(line.substr(c1 + 1, c2 - c1 - 1))},
                            {"memory_mib", std::stol(line.substr(c2 + 1))}});
        } catch (const std::exception&) {
        }
    }
    std::string model = "unknown CPU";
    std::ifstream cpuinfo("/proc/cpuinfo");
    for (std::string line; std::getline(cpuinfo, line);) {
        if (line.rfind("model name", 0) == 0 && line.find(':') != std::string::npos) {
            model = trim(line.substr(line.find(':') + 1));
            break;
        }
    }
    const unsigned cores = std::thread::hardware_concurrency();
    std::string summary;
    if (!gpus.empty()) {
        summary = gpus[0]["name"].get<std::string>() + " (" + std::to_string(gpus[0]["memory_mib"].get<long>() / 1024) +
                  " GiB)" + (gpus.size() > 1 ? " x" + std::to_string(gpus.size()) : "");
    } else {
        summary = "CPU only: " + model + ", " + std::to_string(cores) + " cores";
    }
    return {{"gpus", gpus}, {"cpu", {{"model", model}, {"cores", cores}}}, {"summary", summary}};
}

} // namespace strata::remote
