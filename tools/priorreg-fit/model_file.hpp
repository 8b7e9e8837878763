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
/// standard deviation of its column in the training rows).

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

struct SavedModel {
    std::string model;     ///< ols, ridge, lasso or enet
    std::string prior;     ///< flat, gaussian, laplace or elastic_net
    std::string chosen_by; ///< "ols", "lambda" or "cv lambda_min"
    double lambda = NAN;   ///< NaN for ols
    double alpha = NAN;    ///< NaN for ols
    bool standardize = true;
    bool fit_intercept = true;
    std::string target;
    std::int64_t rows = 0;
    std::vector<InputColumn> inputs;
    double intercept = 0;
    std::vector<SavedTerm> terms;
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
    json.end_object();
    return json.str();
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
    m.intercept = number(json, "intercept");
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
        m.terms.push_back({text_of(term, "term"), number(term, "estimate"), number(term, "center"),
                           number(term, "scale")});
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
    return m;
}

} // namespace priorreg_fit

#endif // PRIORREG_FIT_MODEL_FILE_HPP
