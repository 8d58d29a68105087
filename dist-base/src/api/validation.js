import { BadRequestException, ValidationPipe } from '@nestjs/common';
/**
 * Which failed constraint speaks for a parameter when several fail at once: what the value IS
 * (unknown, missing, not a number, wrong format) before how BIG it is. `limit=abc` fails
 * isInt, min and max together (NaN compares false with every bound); only "must be a whole
 * number" is true and useful.
 */
const PRIORITY = ['whitelistValidation', 'isDefined', 'isNotEmpty', 'isInt', 'isNumber', 'isNumberString', 'isBoolean', 'isBooleanString', 'isString', 'isIn', 'isEnum', 'isISO8601', 'isDateString', 'isDate', 'matches', 'isUUID', 'isArray'];
const rank = (constraint) => {
    const i = PRIORITY.indexOf(constraint);
    return i < 0 ? PRIORITY.length : i;
};
/** One message per bad parameter (nested DTOs by their dotted path), the most basic failure first. */
export function validationMessages(errors, prefix = '') {
    return errors.flatMap((e) => {
        const path = prefix ? `${prefix}.${e.property}` : e.property;
        const own = Object.entries(e.constraints ?? {}).sort(([a], [b]) => rank(a) - rank(b));
        const first = own[0]?.[1];
        const nested = e.children?.length ? validationMessages(e.children, path) : [];
        // class-validator names the property itself; a nested child needs its path to be found.
        return [...(first ? [prefix ? first.replace(new RegExp(`^${e.property}\\b`), path) : first] : []), ...nested];
    });
}
/** The pipe every api route validates through. */
export function apiValidationPipe() {
    return new ValidationPipe({
        transform: true,
        whitelist: true,
        // Unknown query params are a client bug worth telling about, not silently ignoring.
        forbidNonWhitelisted: true,
        exceptionFactory: (errors) => new BadRequestException(validationMessages(errors)),
    });
}
//# sourceMappingURL=validation.js.map