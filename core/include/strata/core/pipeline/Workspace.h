#pragma once

#include "strata/core/Error.h"

#include <any>
#include <map>
#include <string>

namespace strata::pipeline {

/// The data stages hand each other during one run (images, label maps, meshes, tables), by name.
class Workspace {
public:
    template <typename T> void put(const std::string& name, T value) { items_[name] = std::move(value); }

    template <typename T> T& get(const std::string& name)
    {
        auto it = items_.find(name);
        if (it == items_.end()) {
            throw Error("Internal pipeline error: no '" + name + "' in the workspace (a stage ran out of order).");
        }
        T* v = std::any_cast<T>(&it->second);
        if (!v) {
            throw Error("Internal pipeline error: workspace item '" + name + "' has another type.");
        }
        return *v;
    }

    bool contains(const std::string& name) const { return items_.count(name) > 0; }
    void erase(const std::string& name) { items_.erase(name); }

private:
    std::map<std::string, std::any> items_;
};

} // namespace strata::pipeline
