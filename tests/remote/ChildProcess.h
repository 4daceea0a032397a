#pragma once
// A child process for the `remote` tests and benches (strata-worker, redis-server): stdout and stderr go to
// files, stop() sends SIGTERM, kill9() SIGKILL; both reap it.

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace strata::test {

class ChildProcess {
public:
    ChildProcess() = default;
    ~ChildProcess() { stop(); }
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    void start(std::vector<std::string> args, const std::filesystem::path& logBase)
    {
        ++starts_;
        out_ = logBase.string() + "-" + std::to_string(starts_) + ".out";
        err_ = logBase.string() + "-" + std::to_string(starts_) + ".err";
        pid_ = ::fork();
        if (pid_ == 0) {
            const int o = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            const int e = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            ::dup2(o, 1);
            ::dup2(e, 2);
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execvp(argv[0], argv.data());
            ::_exit(127);
        }
        exitCode_ = -1;
    }
    /// Waits for it to exit by itself; its exit code (-1 if it did not within `seconds`).
    int wait(double seconds)
    {
        const auto t0 = std::chrono::steady_clock::now();
        while (pid_ > 0 && std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < seconds) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                exitCode_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                return exitCode_;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return pid_ > 0 ? -1 : exitCode_;
    }
    void stop() { signal(SIGTERM); }
    void kill9() { signal(SIGKILL); }
    bool running() const { return pid_ > 0; }
    std::string out() const { return read(out_); }
    std::string err() const { return read(err_); }

private:
    void signal(int sig)
    {
        if (pid_ <= 0) return;
        ::kill(pid_, sig);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        exitCode_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        pid_ = -1;
    }
    static std::string read(const std::filesystem::path& p)
    {
        std::ifstream f(p);
        std::stringstream s;
        s << f.rdbuf();
        return s.str();
    }

    pid_t pid_{-1};
    int starts_{0};
    int exitCode_{-1};
    std::filesystem::path out_, err_;
};

} // namespace strata::test
