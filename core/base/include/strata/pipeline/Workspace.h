#pragma once

#include "strata/Error.h"

#include <any>
#include <map>
#include <string>
#include <utility>

namespace strata::pipeline {

/// The typed name of one datum the stages of a pipeline hand each other. The type is part of the key, so a stage
/// cannot put or get the datum as anything else; declare each key once, beside the stages that share it:
/// @code
///   inline constexpr pipeline::WorkspaceKey<Image> kImage{"image"};
///   ctx.workspace().put(kImage, std::move(image));     // LoadStage
///   const Image& image = ctx.workspace().get(kImage);  // a later stage
/// @endcode
/// T may be an incomplete type where the key is declared.
template <typename T> struct WorkspaceKey {
    const char* name;
};

/// The data stages hand each other during one run (images, label maps, meshes, tables), by typed key.
class Workspace {
public:
    /// Stores (or replaces) the datum of `key`; `value` is converted to T.
    template <typename T, typename V> void put(WorkspaceKey<T> key, V&& value)
    {
        items_[key.name] = T(std::forward<V>(value));
    }

    /// The datum of `key`; throws Error when no stage has put it (stages out of order), or when another key of the
    /// same name but another type did.
    template <typename T> [[nodiscard]] T& get(WorkspaceKey<T> key)
    {
        auto it = items_.find(key.name);
        if (it == items_.end()) {
            throw Error(std::string("Internal pipeline error: no '") + key.name +
                        "' in the workspace (a stage ran out of order).");
        }
        T* v = std::any_cast<T>(&it->second);
        if (!v) throw Error(std::string("Internal pipeline error: workspace item '") + key.name + "' has another type.");
        return *v;
    }

    template <typename T> [[nodiscard]] bool contains(WorkspaceKey<T> key) const { return items_.count(key.name) > 0; }
    template <typename T> void erase(WorkspaceKey<T> key) { items_.erase(key.name); }

private:
    std::map<std::string, std::any, std::less<>> items_;
};

} // namespace strata::pipeline
