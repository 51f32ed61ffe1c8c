#include "props/parallel.h"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>

#include "case/case_json.h"
#include "case/input_error.h"
#include "run/variants.h"

namespace iovet {
namespace {

using json = nlohmann::ordered_json;

json to_json(const PropertyResult& r) {
  json j{{"name", r.name}, {"status", static_cast<int>(r.status)}, {"rules", r.rules}, {"message", r.message},
         {"runs", r.runs}, {"time_s", r.time_s}, {"found_after", r.found_after}, {"found_s", r.found_s},
         {"counters", r.counters}, {"signature", r.signature}};
  if (r.minimal_case) j["case"] = case_to_json(*r.minimal_case);
  return j;
}

PropertyResult from_json(const json& j) {
  PropertyResult r;
  r.name = j.at("name").get<std::string>();
  r.status = static_cast<Status>(j.at("status").get<int>());
  r.rules = j.at("rules").get<std::set<std::string>>();
  r.message = j.at("message").get<std::string>();
  r.signature = j.at("signature").get<std::string>();
  r.runs = j.at("runs").get<int>();
  r.time_s = j.at("time_s").get<double>();
  r.found_after = j.at("found_after").get<int>();
  r.found_s = j.at("found_s").get<double>();
  r.counters = j.at("counters").get<std::map<std::string, u64>>();
  if (j.contains("case")) r.minimal_case = parse_case(j.at("case"), r.name, false, nullptr);
  return r;
}

// What a worker writes to its pipe: the job's result, or the input error that stopped it.
std::string run_in_worker(const ForkedJob& job) {
  try {
    return json{{"result", job.work()}}.dump();
  } catch (const InputError& e) {
    return json{{"input_error", {e.file, e.pointer, e.problem}}}.dump();
  }
}

void write_all(int fd, const std::string& s) {
  for (std::size_t off = 0; off < s.size();) {
    const ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    off += static_cast<std::size_t>(n);
  }
}

struct Worker {
  std::size_t index;
  pid_t pid;
  int fd;
  std::string out;
};

std::string how_it_died(int status) {
  return WIFSIGNALED(status) ? "died of signal " + std::to_string(WTERMSIG(status))
                             : "exited with " + std::to_string(WEXITSTATUS(status));
}

}  // namespace

unsigned default_jobs() { return std::max(1u, std::thread::hardware_concurrency()); }

void load_kernel_objects(const std::string& variant) {
  if (const Variant* v = find_variant(variant); v && v->tree)
    for (u64 page_size : {4096, 16384, 65536}) {
      Config c;
      c.page_size = page_size;
      kernel_provenance(*v, c);
    }
}

std::vector<ForkedResult> run_forked(const std::vector<ForkedJob>& jobs, unsigned n, const Progress& progress) {
  std::vector<ForkedResult> results(jobs.size());
  if (n <= 1 || jobs.size() <= 1) {
    for (std::size_t k = 0; k < jobs.size(); ++k) {
      progress(k, jobs[k].name);
      results[k].value = jobs[k].work();
    }
    return results;
  }
  std::vector<Worker> running;
  std::size_t next = 0;
  std::optional<InputError> input_error;  // the first one, by job order
  std::size_t input_error_at = jobs.size();
  while (next < jobs.size() || !running.empty()) {
    while (next < jobs.size() && running.size() < n) {
      int fds[2];
      if (::pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
      progress(next, jobs[next].name);
      const pid_t pid = ::fork();
      if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
      if (pid == 0) {
        ::close(fds[0]);
        write_all(fds[1], run_in_worker(jobs[next]));
        ::_exit(0);
      }
      ::close(fds[1]);
      running.push_back({next++, pid, fds[0], {}});
    }
    std::vector<pollfd> pfds;
    for (const Worker& w : running) pfds.push_back({w.fd, POLLIN, 0});
    if (::poll(pfds.data(), pfds.size(), -1) < 0 && errno != EINTR)
      throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
    for (std::size_t i = pfds.size(); i-- > 0;) {
      if (!(pfds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      Worker& w = running[i];
      char buf[65536];
      const ssize_t got = ::read(w.fd, buf, sizeof buf);
      if (got > 0) {
        w.out.append(buf, static_cast<std::size_t>(got));
        continue;
      }
      if (got < 0 && errno == EINTR) continue;
      ::close(w.fd);
      int status = 0;
      while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
      }
      json j = json::parse(w.out, nullptr, false);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || j.is_discarded()) {
        results[w.index].died = how_it_died(status);
      } else if (j.contains("input_error")) {
        const auto& e = j.at("input_error");
        if (w.index < input_error_at) {
          input_error_at = w.index;
          input_error.emplace(e.at(0).get<std::string>(), e.at(1).get<std::string>(), e.at(2).get<std::string>());
        }
      } else {
        results[w.index].value = std::move(j.at("result"));
      }
      running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }
  if (input_error) throw *input_error;
  return results;
}

std::vector<PropertyResult> check_properties(const std::vector<Property>& props, const CampaignOptions& opt,
                                             unsigned jobs, const Progress& progress) {
  if (jobs > 1 && props.size() > 1) load_kernel_objects(opt.variant);
  std::vector<ForkedJob> work;
  for (const Property& p : props) work.push_back({p.name, [&p, &opt] { return to_json(check_property(p, opt)); }});
  const std::vector<ForkedResult> done = run_forked(work, jobs, progress);
  std::vector<PropertyResult> results(props.size());
  for (std::size_t k = 0; k < props.size(); ++k) {
    if (done[k].value) {
      results[k] = from_json(*done[k].value);
      continue;
    }
    results[k].name = props[k].name;
    results[k].status = Status::error;
    results[k].message = "the worker running this property " + done[k].died;
  }
  return results;
}

}  // namespace iovet
