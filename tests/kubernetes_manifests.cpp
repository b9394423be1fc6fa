// Offline checks of scripts/kubernetes/ (there is no cluster here): every document parses and
// has the fields its kind needs; selectors match their pods' labels; every volume mount, Secret
// and ConfigMap reference resolves; the learner's Service exposes the ports the learner listens
// on; workers connect to that Service on those ports; the run directory is on the persistent
// volume; the Secret keys used are ones `muzero secrets` writes; and every muzero option in the
// containers' command lines is one the muzero binary knows (from its --help).
// Usage: kubernetes_manifests MANIFEST_DIR MUZERO_BINARY
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

int failures = 0;
void check(bool ok, const std::string& what) {
  if (!ok) {
    std::cout << "FAIL: " << what << "\n";
    ++failures;
  }
}

std::string text(const YAML::Node& node) {
  return node && node.IsScalar() ? node.as<std::string>() : "";
}

std::string help_of(const std::string& muzero, const std::string& command) {
  std::string output;
  FILE* pipe = ::popen((muzero + " " + command + " --help 2>&1").c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  ::pclose(pipe);
  return output;
}

// The words of every `muzero SUBCOMMAND ...` in a container's command and arguments, whether
// given as a list or inside a shell script (`sh -c`).
std::vector<std::vector<std::string>> muzero_command_lines(const YAML::Node& container) {
  std::vector<std::string> pieces;
  for (const char* field : {"command", "args"}) {
    for (const auto& item : container[field]) pieces.push_back(item.as<std::string>());
  }
  std::vector<std::vector<std::string>> lines;
  if (!pieces.empty() && pieces[0] == "muzero") {
    lines.push_back(pieces);
    return lines;
  }
  for (const std::string& piece : pieces) {  // shell scripts
    std::istringstream script(piece);
    std::string line;
    while (std::getline(script, line)) {
      std::istringstream words(line);
      std::vector<std::string> command;
      std::string word;
      while (words >> word) {
        if (command.empty() && word != "muzero") continue;
        command.push_back(word);
      }
      if (command.size() > 1) lines.push_back(command);
    }
  }
  return lines;
}

std::string option_value(const std::vector<std::string>& line, const std::string& option) {
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    if (line[i] == option) return line[i + 1];
  }
  return "";
}

bool labels_match(const YAML::Node& selector, const YAML::Node& labels) {
  if (!selector || !selector.IsMap() || selector.size() == 0) return false;
  for (const auto& entry : selector) {
    if (text(labels[entry.first.as<std::string>()]) != entry.second.as<std::string>()) {
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: kubernetes_manifests MANIFEST_DIR MUZERO_BINARY\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const std::string muzero = argv[2];
  const std::set<std::string> secret_keys{"token", "tls.crt", "tls.key"};  // `muzero secrets`
  const std::string secret_name = "muzero-run", config_map = "muzero-config";

  std::vector<YAML::Node> documents;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    try {
      for (const YAML::Node& doc : YAML::LoadAllFromFile(entry.path().string())) {
        if (doc && !doc.IsNull()) documents.push_back(doc);
      }
    } catch (const YAML::Exception& error) {
      check(false, entry.path().string() + " does not parse: " + error.what());
    }
  }
  std::map<std::string, YAML::Node> by_kind;  // kind -> the one document of it
  const std::map<std::string, std::string> api{
      {"Service", "v1"}, {"StatefulSet", "apps/v1"}, {"Deployment", "apps/v1"}};
  for (const YAML::Node& doc : documents) {
    const std::string kind = text(doc["kind"]);
    check(api.count(kind) == 1, "unexpected kind '" + kind + "'");
    if (api.count(kind) == 0) continue;
    check(text(doc["apiVersion"]) == api.at(kind), kind + ": apiVersion " + api.at(kind));
    check(!text(doc["metadata"]["name"]).empty(), kind + ": metadata.name");
    check(by_kind.count(kind) == 0, "one " + kind + " only");
    by_kind[kind] = doc;
  }
  for (const char* kind : {"Service", "StatefulSet", "Deployment"}) {
    if (by_kind.count(kind) == 0) {
      check(false, std::string("no ") + kind);
      return 1;
    }
  }
  const YAML::Node service = by_kind["Service"];
  const YAML::Node learner = by_kind["StatefulSet"];
  const YAML::Node workers = by_kind["Deployment"];
  const std::string service_name = text(service["metadata"]["name"]);

  std::map<std::string, std::set<std::string>> options_used;  // subcommand -> options
  std::string learner_port, worker_connect, learner_run_dir;
  std::set<std::string> persistent_mounts;
  for (const YAML::Node& set : {learner, workers}) {
    const std::string name = text(set["metadata"]["name"]);
    const YAML::Node spec = set["spec"];
    const YAML::Node pod = spec["template"];
    check(labels_match(spec["selector"]["matchLabels"], pod["metadata"]["labels"]),
          name + ": the selector matches the pod's labels");
    check(spec["replicas"] && spec["replicas"].as<int>() >= 1, name + ": replicas >= 1");
    std::set<std::string> volumes;
    for (const auto& volume : pod["spec"]["volumes"]) {
      volumes.insert(text(volume["name"]));
      if (volume["secret"]) {
        check(text(volume["secret"]["secretName"]) == secret_name,
              name + ": the Secret is " + secret_name);
        // 0400 in YAML 1.1 is octal: muzero refuses a token that others can read.
        check(volume["secret"]["defaultMode"] &&
                  (volume["secret"]["defaultMode"].as<int>() & 077) == 0,
              name + ": the secret's files are readable by their owner only");
      }
      if (volume["configMap"]) {
        check(text(volume["configMap"]["name"]) == config_map,
              name + ": the ConfigMap is " + config_map);
      }
    }
    std::set<std::string> claims;
    for (const auto& claim : spec["volumeClaimTemplates"]) {
      claims.insert(text(claim["metadata"]["name"]));
    }
    const YAML::Node containers = pod["spec"]["containers"];
    check(containers && containers.size() >= 1, name + ": a container");
    for (const auto& container : containers) {
      check(!text(container["image"]).empty(), name + ": an image");
      for (const auto& mount : container["volumeMounts"]) {
        const std::string volume = text(mount["name"]);
        check(volumes.count(volume) + claims.count(volume) == 1,
              name + ": volume mount '" + volume + "' names a volume");
        if (claims.count(volume) == 1) persistent_mounts.insert(text(mount["mountPath"]));
      }
      for (const auto& variable : container["env"]) {
        const YAML::Node ref = variable["valueFrom"]["secretKeyRef"];
        if (!ref) continue;
        check(text(ref["name"]) == secret_name, name + ": env from Secret " + secret_name);
        check(secret_keys.count(text(ref["key"])) == 1,
              name + ": Secret key '" + text(ref["key"]) + "' is one muzero secrets writes");
      }
      const auto lines = muzero_command_lines(container);
      check(!lines.empty(), name + ": the container runs muzero");
      for (const auto& line : lines) {
        const std::string subcommand = line[1];
        for (const std::string& word : line) {
          if (word.rfind("--", 0) == 0) options_used[subcommand].insert(word);
        }
        if (subcommand == "train") {
          learner_port = option_value(line, "--listen");
          const std::string run_dir = option_value(line, "--run-dir");
          if (!run_dir.empty()) learner_run_dir = run_dir;
          if (const std::string resume = option_value(line, "--resume"); !resume.empty()) {
            check(learner_run_dir.empty() || resume == learner_run_dir,
                  "the learner resumes the run directory it creates");
          }
        }
        if (subcommand == "worker") worker_connect = option_value(line, "--connect");
      }
    }
  }
  check(text(learner["spec"]["serviceName"]) == service_name,
        "the StatefulSet's serviceName is the Service");
  check(
      labels_match(service["spec"]["selector"], learner["spec"]["template"]["metadata"]["labels"]),
      "the Service selects the learner's pod");
  check(
      !labels_match(service["spec"]["selector"], workers["spec"]["template"]["metadata"]["labels"]),
      "the Service does not select the workers");
  // The learner listens on PORT (storage) and PORT + 1 (replay buffer); both must be exposed.
  const auto colon = learner_port.rfind(':');
  check(colon != std::string::npos, "the learner listens on HOST:PORT");
  const int port = colon == std::string::npos ? 0 : std::stoi(learner_port.substr(colon + 1));
  check(port > 0, "the learner listens on a fixed port (workers have no endpoint file here)");
  std::set<int> exposed;
  for (const auto& entry : service["spec"]["ports"]) exposed.insert(entry["port"].as<int>());
  check(exposed.count(port) == 1 && exposed.count(port + 1) == 1,
        "the Service exposes the learner's ports " + std::to_string(port) + " and " +
            std::to_string(port + 1));
  check(worker_connect == service_name + ":" + std::to_string(port),
        "workers connect to the Service on the learner's port (got '" + worker_connect + "')");
  bool persistent = false;
  for (const std::string& mount : persistent_mounts) {
    persistent |= learner_run_dir.rfind(mount + "/", 0) == 0;
  }
  check(persistent, "the run directory '" + learner_run_dir + "' is on the persistent volume");
  for (const auto& [subcommand, options] : options_used) {
    const std::string help = help_of(muzero, subcommand);
    check(help.find("Usage") != std::string::npos || help.find("Options") != std::string::npos ||
              help.find("OPTIONS") != std::string::npos,
          "muzero " + subcommand + " --help answers");
    for (const std::string& option : options) {
      check(help.find(option) != std::string::npos, "muzero " + subcommand + " knows " + option);
    }
  }
  std::cout << "kubernetes manifests: " << documents.size() << " documents, "
            << (failures == 0 ? "all checks passed" : std::to_string(failures) + " failed") << "\n";
  return failures == 0 ? 0 : 1;
}
