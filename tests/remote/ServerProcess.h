#pragma once
// Starts strata-server on 127.0.0.1 with a free port and a temp data dir, for the `remote` tests and benches.

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace strata::test {

class ServerProcess {
public:
    ServerProcess(std::filesystem::path dataDir, std::vector<std::string> extraArgs = {})
        : dataDir_(std::move(dataDir)), extraArgs_(std::move(extraArgs))
    {
    }
    ~ServerProcess() { stop(); }
    /// From the next start(): no file of the server may grow beyond `bytes` (0: no limit), as on a full disk.
    void setFileSizeLimit(unsigned long bytes) { fileSizeLimit_ = bytes; }
    /// From the next start(): runs `WRAPPER... strata-server ARGS` (looked up in PATH), e.g. a namespace that mounts
    /// a small file system first; the wrapper must exec the server so that pid() is the server's.
    void setWrapper(std::vector<std::string> wrapper) { wrapper_ = std::move(wrapper); }
    /// From the next start(): where the server writes its port (default: DATA_DIR/port), e.g. outside a data folder
    /// the wrapper mounts over.
    void setPortFile(std::filesystem::path file) { portFile_ = std::move(file); }
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    /// Starts it and waits until it listens (port file written). Returns false if it exited instead.
    bool start(bool expectListening = true)
    {
        std::filesystem::create_directories(dataDir_);
        const auto portFile = portFile_.empty() ? dataDir_ / "port" : portFile_;
        std::filesystem::remove(portFile);
        std::vector<std::string> args{STRATA_SERVER_PATH, "--host", "127.0.0.1", "--port", "0", "--data-dir",
                                      dataDir_.string(), "--port-file", portFile.string(), "--selftest-pipeline",
                                      "--threads-per-job", "2"};
        args.insert(args.end(), extraArgs_.begin(), extraArgs_.end());
        ++starts_;
        const auto out = dataDir_ / ("stdout-" + std::to_string(starts_) + ".log");
        const auto err = dataDir_ / ("stderr-" + std::to_string(starts_) + ".log");
        pid_ = ::fork();
        if (pid_ == 0) {
            const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            ::dup2(o, 1);
            ::dup2(e, 2);
            if (fileSizeLimit_ > 0) { // a "full disk": writes past this size fail with EFBIG
                std::signal(SIGXFSZ, SIG_IGN);
                rlimit limit{};
                ::getrlimit(RLIMIT_FSIZE, &limit);
                limit.rlim_cur = fileSizeLimit_;
                ::setrlimit(RLIMIT_FSIZE, &limit);
            }
            std::vector<char*> argv;
            for (auto& a : wrapper_) argv.push_back(a.data());
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execvp(argv[0], argv.data());
            ::_exit(127);
        }
        for (int i = 0; i < 600; ++i) { // 60 s: the machine may be busy
            if (std::filesystem::exists(portFile)) {
                std::ifstream(portFile) >> port_;
                if (port_ > 0) break;
            }
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                exitCode_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
                return false;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        if (port_ <= 0) {
            if (expectListening) throw std::runtime_error("strata-server did not start: " + read(err));
            return false;
        }
        const std::string text = read(out);
        const auto at = text.find("admin token: ");
        if (at != std::string::npos) {
            adminToken_ = text.substr(at + 13, text.find('\n', at) - at - 13);
        }
        return true;
    }

    /// SIGTERM, and waits for it to exit; one that has not after 60 s is killed (SIGKILL) and said so on stderr, so
    /// that a server hanging in its shutdown fails the test that stopped it instead of the whole run's time limit.
    /// False then.
    bool stop()
    {
        bool clean = true;
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            int status = 0;
            for (int i = 0; i < 6000 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            if (::waitpid(pid_, &status, WNOHANG) == 0) {
                std::fprintf(stderr, "strata-server (pid %d) did not stop within 60 s of SIGTERM: killed\n", pid_);
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &status, 0);
                clean = false;
            }
            pid_ = -1;
        }
        port_ = 0;
        return clean;
    }

    void kill9()
    {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            int status = 0;
            ::waitpid(pid_, &status, 0);
            pid_ = -1;
        }
        port_ = 0;
    }

    int port() const { return port_; }
    pid_t pid() const { return pid_; }
    std::string url(const std::string& scheme = "http") const { return scheme + "://127.0.0.1:" + std::to_string(port_); }
    const std::string& adminToken() const { return adminToken_; }
    int exitCode() const { return exitCode_; }
    const std::filesystem::path& dataDir() const { return dataDir_; }
    std::string stdoutText(int start = 1) const { return read(dataDir_ / ("stdout-" + std::to_string(start) + ".log")); }
    std::string stderrText(int start = 1) const { return read(dataDir_ / ("stderr-" + std::to_string(start) + ".log")); }

    /// Runs `strata-server ARGS --data-dir DIR` and returns its stdout.
    std::string cli(const std::string& args) const
    {
        const std::string cmd = std::string(STRATA_SERVER_PATH) + " " + args + " --data-dir " + dataDir_.string() + " 2>/dev/null";
        std::string out;
        FILE* p = ::popen(cmd.c_str(), "r");
        char buf[512];
        while (p && std::fgets(buf, sizeof buf, p)) out += buf;
        if (p) ::pclose(p);
        return out;
    }

private:
    unsigned long fileSizeLimit_{0};
    std::vector<std::string> wrapper_;
    std::filesystem::path portFile_;
    static std::string read(const std::filesystem::path& p)
    {
        std::ifstream f(p);
        std::stringstream s;
        s << f.rdbuf();
        return s.str();
    }

    std::filesystem::path dataDir_;
    std::vector<std::string> extraArgs_;
    pid_t pid_{-1};
    int port_{0};
    int starts_{0};
    int exitCode_{0};
    std::string adminToken_;
};

} // namespace strata::test
