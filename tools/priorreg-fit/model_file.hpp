#ifndef PRIORREG_FIT_MODEL_FILE_HPP
#define PRIORREG_FIT_MODEL_FILE_HPP

/// \file model_file.hpp
/// \brief The fitted model of `priorreg-fit --save-model` as a JSON document, and back.
///
/// The document (`"format": "priorreg-fit model"`, `"version": 1`) holds what prediction needs
/// — the input columns (with the levels of a categorical one, the reference first), the
/// intercept and one coefficient per term on the original scale of the data — and what
/// describes the fit: model, prior, lambda, alpha, standardization and intercept settings, the
/// target, how lambda was chosen, and each term's center and scale (the weighted mean and
/// standard deviation of its column in the training rows). A model of `--path` or `--cv` also
/// holds its path (`"path"`: the lambdas, and per lambda the intercept and the estimates in
/// term order), from which `predict --lambda` interpolates; a `--path` model has no single
/// fit (`"chosen_by": "path"`, intercept and estimates null).

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "design.hpp"
#include "json_writer.hpp"

namespace priorreg_fit {

/// A model file that cannot be read.
class ModelFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct SavedTerm {
    std::string name;
    double estimate = 0;
    double center = 0;
    double scale = 1;
};

/// The solutions of a path: `estimates` is L x terms.
struct SavedPath {
    Eigen::VectorXd lambdas;
    Eigen::VectorXd intercepts;
    Eigen::MatrixXd estimates;
    bool empty() const { return lambdas.size() == 0; }
};

struct SavedModel {
    std::string model;     ///< ols, ridge, lasso or enet
    std::string prior;     ///< flat, gaussian, laplace or elastic_net
    std::string chosen_by; ///< "ols", "lambda", "cv lambda_min" or "path"
    double lambda = NAN;   ///< NaN for ols
    double alpha = NAN;    ///< NaN for ols
    bool standardize = true;
    bool fit_intercept = true;
    std::string target;
    std::int64_t rows = 0;
    std::vector<InputColumn> inputs;
    double intercept = 0;
    std::vector<SavedTerm> terms;
    SavedPath path; ///< --path and --cv
    /// A path only (`--path`): no single fit, so `predict` needs `--lambda`.
    bool path_only() const { return chosen_by == "path"; }
};

inline constexpr const char* model_format = "priorreg-fit model";

inline std::string to_json(const SavedModel& m) {
    JsonWriter json;
    json.begin_object();
    json.member("format", model_format);
    json.member("version", std::int64_t{1});
    json.member("model", m.model);
    json.member("prior", m.prior);
    json.member("chosen_by", m.chosen_by);
    json.member("lambda", m.lambda); // null for ols
    json.member("alpha", m.alpha);
    json.member("standardize", m.standardize);
    json.member("fit_intercept", m.fit_intercept);
    json.member("target", m.target);
    json.member("rows", m.rows);
    json.key("inputs").begin_array();
    for (const InputColumn& input : m.inputs) {
        json.begin_object();
        json.member("name", input.name);
        if (input.categorical()) {
            json.key("levels").begin_array();
            for (const std::string& level : input.levels)
                json.value(level);
            json.end_array();
        }
        json.end_object();
    }
    json.end_array();
    json.member("intercept", m.intercept);
    json.key("terms").begin_array();
    for (const SavedTerm& term : m.terms) {
        json.begin_object();
        json.member("term", term.name);
        json.member("estimate", term.estimate);
        json.member("center", term.center);
        json.member("scale", term.scale);
        json.end_object();
    }
    json.end_array();
    if (!m.path.empty()) {
        json.key("path").begin_object();
        json.key("lambdas").begin_array();
        for (const double lambda : m.path.lambdas)
            json.value(lambda);
        json.end_array();
        json.key("intercepts").begin_array();
        for (const double intercept : m.path.intercepts)
            json.value(intercept);
        json.end_array();
        json.key("estimates").begin_array();
        for (Eigen::Index k = 0; k < m.path.estimates.rows(); ++k) {
            json.begin_array();
            for (const double estimate : m.path.estimates.row(k))
                json.value(estimate);
            json.end_array();
        }
        json.end_array();
        json.end_object();
    }
    json.end_object();
    return json.str();
}

/// The `"path"` member of a model file for `terms` terms; `bad` makes the error.
template <class Bad>
SavedPath read_path(const nlohmann::json& json, std::size_t terms, const Bad& bad) {
    const auto numbers = [&](const nlohmann::json& list, const char* what) {
        if (!list.is_array())
            throw bad(std::string("the path's ") + what + " are not a list");
        Eigen::VectorXd values(static_cast<Eigen::Index>(list.size()));
        for (std::size_t k = 0; k < list.size(); ++k) {
            if (!list[k].is_number() || !std::isfinite(list[k].get<double>()))
                throw bad(std::string("the path's ") + what + " hold a non-number");
            values(static_cast<Eigen::Index>(k)) = list[k].get<double>();
        }
        return values;
    };
    if (!json.is_object() || !json.contains("lambdas") || !json.contains("intercepts") ||
        !json.contains("estimates"))
        throw bad("\"path\" needs lambdas, intercepts and estimates");
    SavedPath path;
    path.lambdas = numbers(json["lambdas"], "lambdas");
    path.intercepts = numbers(json["intercepts"], "intercepts");
    const Eigen::Index L = path.lambdas.size();
    if (L == 0 || path.intercepts.size() != L || !json["estimates"].is_array() ||
        json["estimates"].size() != static_cast<std::size_t>(L))
        throw bad("the path's lambdas, intercepts and estimates differ in length");
    for (Eigen::Index k = 0; k < L; ++k)
        if (path.lambdas(k) < 0 || (k > 0 && path.lambdas(k) > path.lambdas(k - 1)))
            throw bad("the path's lambdas are not non-increasing and non-negative");
    path.estimates.resize(L, static_cast<Eigen::Index>(terms));
    for (Eigen::Index k = 0; k < L; ++k) {
        const Eigen::VectorXd row =
            numbers(json["estimates"][static_cast<std::size_t>(k)], "estimates");
        if (row.size() != static_cast<Eigen::Index>(terms))
            throw bad("a path solution has " + std::to_string(row.size()) + " estimates for " +
                      std::to_string(terms) + " terms");
        path.estimates.row(k) = row.transpose();
    }
    return path;
}

/// Reads a model written by `to_json`; every problem is a `ModelFileError` naming `path`.
inline SavedModel read_model_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw ModelFileError(path + ": cannot open the model file");
    std::ostringstream text;
    text << in.rdbuf();
    const auto json = nlohmann::json::parse(text.str(), nullptr, false);
    if (json.is_discarded())
        throw ModelFileError(path + ": not a JSON document");
    const auto bad = [&](const std::string& what) -> ModelFileError {
        return ModelFileError(path + ": not a priorreg-fit model file (" + what + ")");
    };
    if (!json.is_object() || !json.contains("format") || json["format"] != model_format)
        throw bad("no \"format\": \"priorreg-fit model\"");
    if (!json.contains("version") || json["version"] != 1)
        throw bad("version other than 1");
    const auto number = [&](const nlohmann::json& object, const char* key) {
        if (!object.contains(key) || !object[key].is_number())
            throw bad(std::string("\"") + key + "\" is not a number");
        const double value = object[key].get<double>();
        if (!std::isfinite(value))
            throw bad(std::string("\"") + key + "\" is not finite");
        return value;
    };
    const auto text_of = [&](const nlohmann::json& object, const char* key) {
        if (!object.contains(key) || !object[key].is_string())
            throw bad(std::string("\"") + key + "\" is not a string");
        return object[key].get<std::string>();
    };
    SavedModel m;
    m.model = text_of(json, "model");
    m.prior = text_of(json, "prior");
    m.target = text_of(json, "target");
    if (json.contains("chosen_by") && json["chosen_by"].is_string())
        m.chosen_by = json["chosen_by"].get<std::string>();
    // A path model has no single fit: its intercept and estimates are null.
    const auto number_or_path = [&](const nlohmann::json& object, const char* key) {
        return m.path_only() && object.contains(key) && object[key].is_null() ? std::nan("")
                                                                              : number(object, key);
    };
    m.intercept = number_or_path(json, "intercept");
    if (!json.contains("inputs") || !json["inputs"].is_array())
        throw bad("\"inputs\" is not an array");
    for (const auto& input : json["inputs"]) {
        if (!input.is_object())
            throw bad("an input is not an object");
        InputColumn column{text_of(input, "name"), {}};
        if (input.contains("levels")) {
            if (!input["levels"].is_array() || input["levels"].empty())
                throw bad("the levels of \"" + column.name + "\" are not a list of strings");
            for (const auto& level : input["levels"]) {
                if (!level.is_string())
                    throw bad("a level of \"" + column.name + "\" is not a string");
                column.levels.push_back(level.get<std::string>());
            }
        }
        m.inputs.push_back(std::move(column));
    }
    if (!json.contains("terms") || !json["terms"].is_array())
        throw bad("\"terms\" is not an array");
    for (const auto& term : json["terms"]) {
        if (!term.is_object())
            throw bad("a term is not an object");
        m.terms.push_back({text_of(term, "term"), number_or_path(term, "estimate"),
                           number(term, "center"), number(term, "scale")});
    }
    // The coefficients are used in the order of the inputs' terms: a file whose terms are not
    // that order (edited by hand, or another tool's) would predict wrongly, so it is refused.
    const std::vector<std::string> expected = term_names(m.inputs);
    if (m.terms.size() != expected.size())
        throw bad(std::to_string(m.terms.size()) + " terms for inputs that make " +
                  std::to_string(expected.size()));
    for (std::size_t j = 0; j < expected.size(); ++j)
        if (m.terms[j].name != expected[j])
            throw bad("term " + std::to_string(j + 1) + " is \"" + m.terms[j].name +
                      "\" where the inputs make \"" + expected[j] + "\"");
    if (json.contains("path"))
        m.path = read_path(json["path"], expected.size(), bad);
    else if (m.path_only())
        throw bad("\"chosen_by\": \"path\" without a \"path\"");
    return m;
}

} // namespace priorreg_fit

#endif // PRIORREG_FIT_MODEL_FILE_HPP
