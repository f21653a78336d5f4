"""The starter texts in Spanish (see claims/starter_texts.py): a translation of the English ones.

Awaiting review by a native speaker: written by the project, not by a Spanish-speaking newsroom. Like the
English texts, each says plainly that it is to be edited.
"""

TO_BE_EDITED = (
    "> **Texto inicial, para editar.** Este texto se escribió para todas las redacciones que usan este sistema "
    "de seguimiento de afirmaciones. Sustitúyalo por sus propias palabras en la configuración del sitio y quite "
    "este aviso. (Esta traducción aún no ha sido revisada por un hablante nativo.)"
)

METHODOLOGY = f"""{TO_BE_EDITED}

## Cómo elegimos qué verificar

Verificamos afirmaciones hechas en público por personas y organizaciones cuyas palabras tienen peso: cargos \
públicos, candidatos, organismos públicos, empresas y publicaciones muy compartidas. Elegimos una afirmación \
porque es verificable (un enunciado de hecho, no una opinión), porque mucha gente la ha visto y porque importa \
en la vida de nuestros lectores. Los lectores pueden enviarnos afirmaciones para verificar.

Aplicamos el mismo criterio a toda afirmación, la haga quien la haga. [Explique aquí cómo mantiene equilibrada la \
selección, por ejemplo revisando cada mes a quién ha verificado.]

## Cómo verificamos una afirmación

1. Registramos la afirmación tal como se hizo, con la fuente donde apareció y la fecha.
2. Buscamos la mejor evidencia disponible: datos oficiales, documentos, la grabación original, expertos en la \
materia. Preferimos las fuentes primarias a los informes sobre ellas.
3. Pedimos a la persona u organización que hizo la afirmación sus pruebas y su respuesta, y publicamos lo que \
dijo, o que no respondió.
4. Escribimos un veredicto: una calificación de nuestra escala publicada y una explicación de cómo llegamos a ella.
5. Un segundo editor revisa cada veredicto antes de publicarlo. Nadie publica su propio trabajo.

## Transparencia de las fuentes

Enumeramos las fuentes de cada verificación, con enlaces cuando existen, para que los lectores puedan seguir \
nuestro trabajo y comprobarlo por sí mismos. Cuando una fuente debe permanecer confidencial por su seguridad, lo \
decimos y la describimos con tanta precisión como podemos sin nombrarla; nunca nos basamos solo en una fuente así.

## Nuestras calificaciones

Cada calificación tiene una definición publicada, que se muestra con cada veredicto. [Explique aquí lo que tenga \
de particular su uso de la escala.]
"""

CORRECTIONS_POLICY = f"""{TO_BE_EDITED}

## Una política de correcciones abierta y honesta

Cometemos errores, y los corregimos abiertamente. Si cree que una de nuestras verificaciones es incorrecta o \
incompleta, use el enlace «Informar de un error en esta página» de la verificación, o escríbanos. \
[Diga en cuánto tiempo responde, por ejemplo en dos días hábiles.]

## Cómo corregimos

- **Una corrección** arregla un error de hecho. La página dice arriba qué cambió y cuándo.
- **Una actualización** añade información que se conoció después de la publicación.
- **Una retractación** retira un veredicto que ya no se sostiene; la página sigue en línea y explica por qué.

Una corrección, actualización o retractación la revisa un segundo editor, como el veredicto que cambia. Todas \
las versiones anteriores siguen disponibles en el historial de la página, y todas se enumeran en nuestra \
página de correcciones.

## Si no está satisfecho

[Indique a quién pueden dirigirse los lectores si no están satisfechos con nuestra respuesta, por ejemplo la \
Red Internacional de Verificación de Datos (IFCN), que acepta quejas sobre sus signatarios.]
"""

ABOUT = f"""{TO_BE_EDITED}

## Quiénes somos

[Describa su redacción: cuándo y por qué se fundó, dónde trabaja y quiénes la dirigen, con sus funciones. Diga \
quién es legalmente responsable de lo que se publica.]

## Imparcialidad y equidad

No apoyamos a ningún partido, candidato ni causa, y no tomamos posición sobre cuestiones de políticas públicas. \
Verificamos afirmaciones de todas las partes con el mismo criterio, y explicamos a los lectores cómo las \
elegimos. Nuestro personal no participa en campañas políticas. [Describa las normas que sigue su personal, por \
ejemplo sobre la afiliación a partidos.]

## Nuestra organización

[Indique su forma jurídica (empresa, organización sin ánimo de lucro, parte de un grupo de medios mayor), dónde \
está registrada y quién la posee o controla.]
"""

FUNDING = f"""{TO_BE_EDITED}

## Transparencia de la financiación

Publicamos de dónde viene nuestro dinero, para que los lectores puedan juzgar por sí mismos nuestra \
independencia. [Enumere sus fuentes de financiación del último año, con la parte de cada una: subvenciones, \
donaciones, alianzas, publicidad.]

Ningún financiador tiene voz en lo que verificamos ni en nuestros veredictos. [Diga qué hace cuando verifica una \
afirmación de alguien que le financia, por ejemplo que lo indica en la verificación.]
"""

BY_FIELD = {
    "methodology": METHODOLOGY,
    "corrections_policy": CORRECTIONS_POLICY,
    "about": ABOUT,
    "funding": FUNDING,
}
