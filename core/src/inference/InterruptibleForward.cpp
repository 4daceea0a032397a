#include "inference/InterruptibleForward.h"

#include "inference/ConsumedDepth.h"

#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace strata::inference {

using torch::jit::Graph;
using torch::jit::Node;
using torch::jit::Value;

namespace {

bool walkableNode(const Node* n)
{
    if (!n->blocks().empty()) {
        return false; // control flow: the method is called whole
    }
    const auto kind = n->kind();
    if (kind == c10::prim::Constant) {
        return torch::jit::toIValue(n->output()).has_value(); // not a function constant
    }
    return kind == c10::prim::GetAttr || kind == c10::prim::CallMethod || kind == c10::prim::ListConstruct ||
           kind.is_aten();
}

bool walkableGraph(const Graph& g)
{
    if (g.outputs().size() != 1) {
        return false;
    }
    return std::all_of(g.nodes().begin(), g.nodes().end(), walkableNode);
}

bool isIntList(const Value* v, std::size_t size)
{
    const auto list = v->type()->cast<c10::ListType>();
    return list && list->getElementType()->kind() == c10::TypeKind::IntType && size > 0;
}

std::vector<std::int64_t> ints(const c10::IValue& v)
{
    return v.toIntVector();
}

/// Largest output of one convolution slab (bytes); see Walker::slabCount.
constexpr double kMaxSlabBytes = 64.0 * 1024 * 1024;

bool allEqual(const std::vector<std::int64_t>& v, std::int64_t value)
{
    return std::all_of(v.begin(), v.end(), [&](std::int64_t x) { return x == value; });
}

} // namespace

struct InterruptibleForward::Walker {
    const Options& options;
    double countScale; ///< > 0: only count the slabs a full-size pass would take (see estimateSteps)
    const std::function<void()>& checkpoint;
    std::size_t& steps;
    std::unordered_map<const Graph*, bool> walkable;

    void step()
    {
        ++steps;
        if (checkpoint) {
            checkpoint();
        }
    }

    bool canWalk(const std::shared_ptr<Graph>& g)
    {
        auto [it, inserted] = walkable.try_emplace(g.get(), false);
        if (inserted) {
            it->second = walkableGraph(*g);
        }
        return it->second;
    }

    c10::IValue callMethod(const c10::IValue& self, const std::string& name, std::vector<c10::IValue> args)
    {
        torch::jit::Module module(self.toObject());
        auto method = module.get_method(name);
        if (canWalk(method.graph())) {
            args.insert(args.begin(), self);
            return runGraph(*method.graph(), std::move(args));
        }
        step();
        return method(std::move(args));
    }

    /// Executes g's nodes in order; a value is released after its last use, as the TorchScript interpreter does.
    c10::IValue runGraph(const Graph& g, std::vector<c10::IValue> inputs)
    {
        std::unordered_map<const Value*, const Node*> lastUse;
        for (const Node* n : g.nodes()) {
            for (const Value* v : n->inputs()) {
                lastUse[v] = n;
            }
        }
        const Value* result = g.outputs()[0];
        std::unordered_map<const Value*, c10::IValue> env;
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            env[g.inputs()[i]] = std::move(inputs[i]);
        }
        // The input at position i of n: moved out of env at its last use (the last time n reads it).
        auto take = [&](const Node* n, std::size_t i) {
            const Value* v = n->inputs()[i];
            auto it = env.find(v);
            TORCH_CHECK(it != env.end(), "InterruptibleForward: value without a definition");
            const auto rest = n->inputs().slice(i + 1);
            if (v != result && lastUse[v] == n && std::find(rest.begin(), rest.end(), v) == rest.end()) {
                c10::IValue out = std::move(it->second);
                env.erase(it);
                return out;
            }
            return it->second;
        };
        for (const Node* n : g.nodes()) {
            const auto kind = n->kind();
            if (kind == c10::prim::Constant) {
                env[n->output()] = *torch::jit::toIValue(n->output());
            } else if (kind == c10::prim::GetAttr) {
                const c10::IValue object = take(n, 0);
                env[n->output()] = object.toObject()->getAttr(n->s(c10::attr::name));
            } else if (kind == c10::prim::ListConstruct) {
                c10::impl::GenericList list(n->output()->type()->expectRef<c10::ListType>().getElementType());
                for (std::size_t i = 0; i < n->inputs().size(); ++i) {
                    list.push_back(take(n, i));
                }
                env[n->output()] = c10::IValue(std::move(list));
            } else {
                std::vector<c10::IValue> args;
                for (std::size_t i = 0; i < n->inputs().size(); ++i) {
                    args.push_back(take(n, i));
                }
                if (kind == c10::prim::CallMethod) {
                    c10::IValue self = std::move(args.front());
                    args.erase(args.begin());
                    env[n->output()] = callMethod(self, n->s(c10::attr::name), std::move(args));
                    continue;
                }
                if (auto split = splitConvolution(n, args)) {
                    env[n->output()] = std::move(*split);
                    continue;
                }
                if (auto joined = releasingCat(n, args)) {
                    env[n->output()] = std::move(*joined);
                    continue;
                }
                step();
                torch::jit::Stack stack(std::make_move_iterator(args.begin()), std::make_move_iterator(args.end()));
                n->getOperation()(stack);
                for (std::size_t i = 0; i < n->outputs().size(); ++i) {
                    env[n->outputs()[i]] = std::move(stack[i]);
                }
            }
        }
        return env.at(result);
    }

    /// A 3D convolution (stride 1, no dilation) or transposed convolution (kernel = stride, no padding) costing more
    /// than maxStepCost, run as slabs along depth, each one step. The output is the same, element for element.
    std::optional<c10::IValue> splitConvolution(const Node* n, std::vector<c10::IValue>& args)
    {
        if (options.maxStepCost <= 0) {
            return std::nullopt;
        }
        const bool conv = n->kind() == c10::aten::conv3d && args.size() == 7 && isIntList(n->input(4), 3);
        const bool transposed = n->kind() == c10::aten::conv_transpose3d && args.size() == 8 && isIntList(n->input(4), 3);
        if ((!conv && !transposed) || !args[0].isTensor() || !args[1].isTensor()) {
            return std::nullopt;
        }
        const at::Tensor input = args[0].toTensor();
        const at::Tensor weight = args[1].toTensor();
        if (input.dim() != 5 || weight.dim() != 5 || !input.device().is_cpu()) {
            return std::nullopt;
        }
        c10::optional<at::Tensor> bias;
        if (!args[2].isNone()) {
            bias = args[2].toTensor();
        }
        const auto stride = ints(args[3]);
        const auto padding = ints(args[4]);
        const double inVoxels = static_cast<double>(input.size(0) * input.size(2) * input.size(3) * input.size(4));
        const double kernel = static_cast<double>(weight.size(2) * weight.size(3) * weight.size(4));
        const std::int64_t depth = input.size(2);
        if (conv) {
            const auto dilation = ints(args[5]);
            const std::int64_t groups = args[6].toInt();
            const std::int64_t k = weight.size(2), p = padding[0];
            const std::int64_t outDepth = depth + 2 * p - k + 1;
            if (!allEqual(stride, 1) || !allEqual(dilation, 1) || outDepth < 2) {
                return std::nullopt;
            }
            const double outVoxels = inVoxels / static_cast<double>(depth) * static_cast<double>(outDepth);
            const double cost = outVoxels * static_cast<double>(weight.size(0) * weight.size(1)) * kernel +
                                50.0 * (inVoxels * static_cast<double>(input.size(1)) + outVoxels * static_cast<double>(weight.size(0)));
            const double outBytes = outVoxels * static_cast<double>(weight.size(0) * input.element_size());
            if (countScale > 0) {
                return counted(cost, outBytes);
            }
            const auto slabs = std::min<std::int64_t>(outDepth, slabCount(cost, outBytes));
            if (slabs < 2) {
                return std::nullopt;
            }
            const std::vector<std::int64_t> slabPadding{0, padding[1], padding[2]};
            args[0] = c10::IValue(); // `input` is now the walker's only hold when the graph is done with it
            ConsumedDepth consumed(input);
            return slabbed(slabs, outDepth, [&](std::int64_t z0, std::int64_t z1) {
                // output z needs input z - p .. z - p + k - 1; beyond the volume the zero padding is added here
                const std::int64_t from = z0 - p, to = z1 - 1 - p + k;
                at::Tensor part = input.slice(2, std::max<std::int64_t>(0, from), std::min(depth, to));
                const std::int64_t before = std::max<std::int64_t>(0, -from), after = std::max<std::int64_t>(0, to - depth);
                if (before > 0 || after > 0) {
                    part = at::constant_pad_nd(part, {0, 0, 0, 0, before, after}, 0);
                }
                at::Tensor piece = at::conv3d(part, weight, bias, stride, slabPadding, dilation, groups);
                consumed.releaseBelow(z1 - p); // the next slab reads from z1 - p on
                return piece;
            });
        }
        const auto outputPadding = ints(args[5]);
        const std::int64_t groups = args[6].toInt();
        const auto dilation = ints(args[7]);
        if (stride[0] != weight.size(2) || !allEqual(padding, 0) || !allEqual(outputPadding, 0) || !allEqual(dilation, 1) ||
            depth < 2) {
            return std::nullopt;
        }
        const double cost = inVoxels * static_cast<double>(input.size(1) * weight.size(1)) * kernel +
                            50.0 * inVoxels * (static_cast<double>(input.size(1)) + kernel * static_cast<double>(weight.size(1) * groups));
        // the output, and as much again for the column buffer of CPU's transposed convolution
        const double outBytes = inVoxels * kernel * static_cast<double>(weight.size(1) * groups * input.element_size());
        if (countScale > 0) {
            return counted(cost, outBytes);
        }
        const auto slabs = std::min<std::int64_t>(depth, slabCount(cost, outBytes));
        if (slabs < 2) {
            return std::nullopt;
        }
        const std::int64_t s = stride[0];
        // input slab [a, b) gives exactly output [s a, s b): kernel = stride, so tiles of the output do not overlap
        args[0] = c10::IValue();
        ConsumedDepth consumed(input);
        return slabbed(slabs, depth, [&](std::int64_t a, std::int64_t b) {
            at::Tensor piece = at::conv_transpose3d(input.slice(2, a, b), weight, bias, stride, padding, outputPadding, groups, dilation);
            consumed.releaseBelow(b);
            return piece;
        }, s);
    }

    /// A U-Net's skip connection, torch.cat([up, skip], 1) of single-batch CPU tensors whose list nobody else holds:
    /// each input is copied into its channel block of the output and let go at once. The output's pages become
    /// resident only as they are written, and each input's pages go back as they are copied (ConsumedDepth): the knee
    /// network's full-resolution join peaked at both 512 MB inputs plus the 1 GB output, now at about 1 GB. The same
    /// values (copies); anything else runs as usual.
    std::optional<c10::IValue> releasingCat(const Node* n, std::vector<c10::IValue>& args)
    {
        if (n->kind() != c10::aten::cat || args.size() != 2 || !args[0].isTensorList() || !args[1].isInt() ||
            countScale > 0) {
            return std::nullopt;
        }
        // args[0] is the only holder of the list when the graph used it for the last time (take() moved it).
        c10::List<at::Tensor> list = std::move(args[0]).toTensorList();
        const auto runAsUsual = [&] {
            args[0] = c10::IValue(std::move(list));
            return std::nullopt;
        };
        if (list.use_count() != 1 || list.size() < 2) {
            return runAsUsual();
        }
        at::Tensor first = list.get(0);
        if (first.dim() != 5 || args[1].toInt() != 1 || first.size(0) != 1 || !first.device().is_cpu()) {
            return runAsUsual();
        }
        std::int64_t channels = 0;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const at::Tensor t = list.get(i);
            if (t.dim() != 5 || t.scalar_type() != first.scalar_type() || !t.device().is_cpu() || t.size(0) != 1 ||
                t.sizes().slice(2) != first.sizes().slice(2)) {
                return runAsUsual();
            }
            channels += t.size(1);
        }
        step();
        auto sizes = first.sizes().vec();
        sizes[1] = channels;
        at::Tensor out = at::empty(sizes, first.options());
        first = at::Tensor(); // no hold on the first input beyond the list's
        std::int64_t offset = 0;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const at::Tensor t = list.extract(i); // the list lets go: `t` is the last holder when the graph is done with it
            ConsumedDepth consumed(t);            // and then copied in depth chunks, each given back once copied
            const std::int64_t depth = t.size(2), chunks = consumed.active() ? std::min<std::int64_t>(depth, 8) : 1;
            for (std::int64_t c = 0; c < chunks; ++c) {
                const std::int64_t d0 = depth * c / chunks, d1 = depth * (c + 1) / chunks;
                out.narrow(1, offset, t.size(1)).slice(2, d0, d1).copy_(t.slice(2, d0, d1));
                consumed.releaseBelow(d1);
            }
            offset += t.size(1);
        }
        return out;
    }

    /// Slabs for a convolution of this cost and output size: none longer than maxStepCost (a cancel acts within one),
    /// none with more than kMaxSlabBytes of output (each slab's output and working buffers are temporaries beside the
    /// whole output; on the knee's full-resolution levels they set the pass's peak memory).
    std::int64_t slabCount(double cost, double outBytes) const
    {
        return static_cast<std::int64_t>(std::max(std::ceil(cost / options.maxStepCost), std::ceil(outBytes / kMaxSlabBytes)));
    }

    /// Counting: the slabs a full-size pass would run this convolution in, less the one step the small pass counts.
    std::optional<c10::IValue> counted(double cost, double outBytes)
    {
        const auto slabs = static_cast<std::size_t>(slabCount(cost * countScale, outBytes * countScale));
        if (slabs > 1) {
            steps += slabs - 1;
        }
        return std::nullopt;
    }

    /// Runs part(z0, z1) for `slabs` ranges covering [0, length) and copies each result into one output whose depth
    /// is scale x length.
    template <typename Part>
    c10::IValue slabbed(std::int64_t slabs, std::int64_t length, Part part, std::int64_t scale = 1)
    {
        at::Tensor out;
        for (std::int64_t i = 0; i < slabs; ++i) {
            const std::int64_t z0 = length * i / slabs, z1 = length * (i + 1) / slabs;
            step();
            at::Tensor piece = part(z0, z1);
            if (!out.defined()) {
                auto sizes = piece.sizes().vec();
                sizes[2] = length * scale;
                out = at::empty(sizes, piece.options());
            }
            out.slice(2, z0 * scale, z1 * scale).copy_(piece);
        }
        return out;
    }
};

InterruptibleForward::InterruptibleForward(torch::jit::Module module, Options options)
    : module_(std::move(module)), options_(options)
{
    piecewise_ = walkableGraph(*module_.get_method("forward").graph());
}

torch::Tensor InterruptibleForward::run(const torch::Tensor& input, const std::function<void()>& checkpoint)
{
    steps_ = 0;
    Walker walker{options_, countScale_, checkpoint, steps_, {}};
    return walker.callMethod(module_._ivalue(), "forward", {input}).toTensor();
}

std::size_t InterruptibleForward::estimateSteps(const std::vector<std::int64_t>& shape)
{
    if (!piecewise_ || shape.size() != 5) {
        return 0;
    }
    std::vector<std::int64_t> small = shape;
    double scale = 1.0;
    for (std::size_t a = 2; a < 5; ++a) {
        small[a] = std::min<std::int64_t>(shape[a], 16);
        scale *= static_cast<double>(shape[a]) / static_cast<double>(small[a]);
    }
    const auto options = torch::TensorOptions().dtype(torch::kFloat).device(torch::kCPU);
    countScale_ = scale;
    try {
        run(torch::zeros(small, options), {});
    } catch (...) {
        countScale_ = 0.0;
        return 0;
    }
    countScale_ = 0.0;
    return steps_;
}

} // namespace strata::inference
